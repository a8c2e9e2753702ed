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
