# Administration screens.
admin-users-title = Users
admin-org-title = Organisation
admin-roles-title = Roles
admin-api-keys-title = API keys
role-admin = Administrator
role-sales_manager = Sales manager
role-sales_rep = Sales rep
role-service_agent = Service agent
role-marketing = Marketing
role-partner = Partner
admin-subnav = Administration sections
admin-not-allowed-title = Administration is not available to you
admin-not-allowed-text = Only administrators can manage users, the organisation, roles and API keys. If you need a change, ask your administrator.
admin-load-failed = This could not be loaded.
admin-name = Name
admin-description = Description
admin-status = Status
admin-status-all = All users
admin-actions = Actions
admin-none = — none —
admin-choose = Choose…
admin-never = Never
admin-list-sep = {", "}
admin-saved = Saved “{ $name }”.
admin-deleted = Deleted “{ $name }”.
admin-confirm-delete = Delete “{ $name }”?
admin-in-use = Still used by { $list }. Move or reassign them first, then delete.
admin-in-use-units = { $count ->
    [one] one unit below it
   *[other] { $count } units below it
}
admin-in-use-users = { $count ->
    [one] one user
   *[other] { $count } users
}
admin-in-use-customers = { $count ->
    [one] one customer
   *[other] { $count } customers
}
# users
admin-users-search = Search by name or e-mail
admin-users-empty = No users match. Change the search or the status filter.
admin-user-new = New user
admin-user-edit = Edit user
admin-user-active = Active
admin-user-inactive = Deactivated
admin-display-name = Display name
admin-new-password = New password
admin-password-hint = At least 8 characters. Tell the user to change it after signing in.
admin-password-keep = Leave empty to keep the current password.
admin-roles = Roles
admin-team = Team
admin-regions = Regions
admin-product-lines = Product lines
admin-partner = Partner (dealer)
admin-partner-hint = A partner user only ever sees that partner's customers.
admin-reload-user = Reload the user (your changes are discarded)
admin-deactivate = Deactivate
admin-reactivate = Reactivate
admin-deactivate-hint = Deactivating signs the user out everywhere and ends their API keys. Their customers stay.
admin-reactivate-hint = This user is deactivated and cannot sign in.
admin-confirm-deactivate = Deactivate this user now?
admin-confirm-reactivate = Let this user sign in again?
admin-user-deactivated = The user is deactivated and has been signed out.
admin-user-reactivated = The user can sign in again.
# organisation
admin-teams = Teams
admin-partners = Partners
admin-teams-new = New team
admin-regions-new = New region
admin-product-lines-new = New product line
admin-partners-new = New partner
admin-teams-empty = No teams yet. Create the first one.
admin-regions-empty = No regions yet. Create the first one.
admin-product-lines-empty = No product lines yet. Create the first one.
admin-partners-empty = No partners yet. Create the first one.
admin-rename = Rename
admin-rename-move = Rename or move
admin-add-below = Add below
admin-create-unit = Create
admin-parent = Belongs to
admin-top-level = — top level —
# roles
admin-roles-intro = A role grants, for each kind of record and action, how far it reaches. A user's roles add up.
admin-role-new = New role
admin-role-edit = Edit role
admin-builtin = Built-in
admin-builtin-hint = Built-in roles cannot be changed. Create a new role to grant something different.
admin-confirm-delete-role = Delete this role?
admin-scope-hint = Choose for each cell how far the role reaches: none, own records, the team's, the region's, or all.
admin-resource = Record
admin-resource-customer = Customers
admin-resource-user = Users
admin-resource-role = Roles
admin-resource-team = Teams
admin-resource-region = Regions
admin-resource-product_line = Product lines
admin-resource-partner = Partners
admin-resource-api_key = API keys
admin-action-read = Read
admin-action-create = Create
admin-action-update = Update
admin-action-delete = Delete
admin-scope-none = None
admin-scope-own = Own
admin-scope-team = Team
admin-scope-region = Region
admin-scope-all = All
# API keys
admin-keys-intro = API keys let other systems (ERP, website forms) use the API. A key acts as its user, with that user's rights.
admin-keys-empty = No API keys yet.
admin-key-new = New API key
admin-key = API key
admin-key-user = Acts as user
admin-key-user-hint = The key can do exactly what this user may do.
admin-created = Created
admin-expires = Expires
admin-expires-hint = Optional. Leave empty for a key that does not expire. Times are UTC.
admin-last-used = Last used
admin-key-active = Active
admin-key-revoked = Revoked
admin-key-expired = Expired
admin-revoke = Revoke
admin-confirm-revoke = Revoke this key? Systems using it stop working at once.
admin-key-created = The API key was created.
admin-key-once = Copy it now and store it safely: it is shown only this once and cannot be shown again.
admin-copy = Copy
admin-copied = Copied
admin-key-stored = I have stored the key
admin-pool-title = Company pool
pool-rules-hint = Limits that keep reps from hoarding the company pool. Leave a limit empty for none.
pool-max-owned = Most customers one person may own to claim more
pool-max-claims = Most claims per person in 24 hours
pool-cooldown = Days before a former owner may claim a customer again
pool-recycle = Back to the pool when nothing happens
pool-recycle-hint = Days without any change after which an owned customer of this stage returns to the pool. Empty: never.
pool-rules-saved = The rules are saved and apply from now on.
admin-transfer-title = Hand over customers
transfer-hint = When someone leaves or changes territory, move their customers to a colleague, to a team's pool or to the company pool in one step. Preview first: nothing moves until you confirm.
transfer-from = From
transfer-to = To
transfer-to-team = A team's pool (its members claim, its managers assign)
transfer-to-user = A colleague
transfer-reason = Why
transfer-preview = Preview
transfer-confirm = Move them
transfer-would-move = { $count ->
    [one] 1 customer will move:
   *[other] { $count } customers will move:
}
transfer-moved = { $count ->
    [one] 1 customer moved.
   *[other] { $count } customers moved.
}
admin-duplicates-title = Duplicates
duplicates-report-hint = Customers that share a name (without the company form), a phone number or an e-mail address. Merge each duplicate into the first of its group, or open them to compare.
duplicates-merge-into-first = Merge into the first
duplicates-report-none = No likely duplicates.

## Import
import-title = Import customers
import-hint = Choose an Excel workbook (.xlsx), a CSV file (UTF-8 or GBK) or vCards (.vcf) from a business-card app. Nothing is saved until you run the import.
import-encoding = Encoding
import-encoding-auto = Detect
import-file = File
import-map-title = Columns
import-rows = rows
import-template-apply = Apply a saved template
import-template-name = Template name
import-template-save = Save as template
import-ignore = — do not import —
import-field-name = Company name
import-field-contact_name = Contact name
import-field-contact_title = Contact title
import-field-phones = Phones
import-field-emails = E-mails
import-field-contact_phones = Contact phones
import-field-contact_emails = Contact e-mails
import-field-address = Address
import-field-notes = Notes
import-field-industry = Industry
import-field-source = Source
import-field-tags = Tags
import-field-lifecycle_stage = Stage
import-field-kind = Kind
import-field-owner_email = Owner (e-mail)
import-policy = Rows that look like an existing customer
import-policy-skip = Skip them
import-policy-update = Add to the existing customer
import-policy-create = Create anyway
import-dry-run = Dry run
import-run = Import
import-dry-title = Dry run: nothing was saved
import-created = created
import-updated = updated
import-skipped = skipped
import-failed = failed
import-line = Line { $line }
import-status-running = Importing…
import-status-done = Import finished
import-status-failed = Import stopped by a server error
import-status-undone = Import undone
import-undo = Undo this import
import-undo-question = Move the customers it created to the trash and restore those it updated?
import-undone = Undone: created customers are in the trash, updated ones restored.
import-why-duplicate_existing = the same customer exists already
import-why-duplicate_hidden = looks like a customer outside your scope
import-why-duplicate_in_file = the same customer as an earlier line
import-why-ambiguous = looks like several customers
import-why-not_editable = the matching customer is not yours to change
import-why-owner_unknown = no user has this owner e-mail
import-why-out_of_reach = you may not give customers to this owner
import-why-nothing_new = adds nothing new
import-why-write_failed = could not be saved
import-why-required = a required value is empty
import-why-invalid_phone = not a phone number
import-why-invalid_email = not an e-mail address
import-why-invalid_choice = not one of the allowed values
import-why-too_long = too long
import-why-too_many = too many values
import-why-duplicate = the same value is listed twice
import-why-invalid_tag = a tag must not contain commas
import-why-control_char = contains control characters
import-why-nul_byte = contains NUL characters
import-failed-download = Download failed rows
import-failed-column-line = line
import-failed-column-reason = reason
