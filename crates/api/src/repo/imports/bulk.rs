//! Writing an import's new customers a batch at a time. Row by row, a new
//! customer with a contact took about a dozen single-row statements
//! (customer, product lines, tags, keys, audit entry, contact, its audit
//! entry); here each table gets multi-row inserts of a fixed size through
//! the backend's own connection, prepared once and reused, so a batch of a
//! thousand rows takes a few dozen statements. The caller wraps the call in
//! a savepoint: if any row fails, nothing of the batch stays.

use crate::db::DbConnection;
use crate::db::bulk::insert_rows;
use crate::db::schema::{
    audit_log as al, contacts, customer_keys, customer_product_lines, customer_tags, customers,
};
use crate::repo::audit::Entity;
use crate::repo::contacts::json;
use crate::repo::customers::stages::ChangedBy;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kehu_domain::audit::{self, Action};
use kehu_domain::contact::Contact;
use kehu_domain::customer::Customer;
use kehu_domain::dedup::KEYS_VERSION;

/// A new customer of an import, with the new contact its row names.
pub struct NewCustomer<'a> {
    pub id: String,
    pub customer: &'a Customer,
    /// The contact's new id and the contact.
    pub contact: Option<(String, &'a Contact)>,
}

/// One audit entry of a creation, tagged with the import.
struct Created {
    entity: &'static str,
    entity_id: String,
    customer_id: String,
    changes: String,
}

/// Writes the customers with their product lines, tags, duplicate keys,
/// contacts and the audit entries of both, as the row-by-row path does.
pub fn create_customers(
    c: &mut DbConnection,
    rows: &[NewCustomer<'_>],
    by: ChangedBy<'_>,
    now: NaiveDateTime,
    import_id: &str,
) -> QueryResult<()> {
    let user = by.user_id.unwrap_or_default().to_owned();
    let key = by.api_key_id.map(str::to_owned);
    let mut product_lines = Vec::new();
    let mut tags = Vec::new();
    let mut keys = Vec::new();
    let mut entries = Vec::with_capacity(rows.len() * 2);
    for r in rows {
        let v = r.customer;
        product_lines.extend(v.product_line_ids.iter().map(|p| (r.id.clone(), p.clone())));
        tags.extend(v.tags.iter().map(|t| (r.id.clone(), t.as_str().to_owned())));
        keys.extend(
            v.dedup_keys()
                .entries()
                .into_iter()
                .map(|(kind, key)| (r.id.clone(), kind.as_str(), key.to_owned())),
        );
        entries.push(Created {
            entity: Entity::Customer.as_str(),
            entity_id: r.id.clone(),
            customer_id: r.id.clone(),
            changes: changes(&v.audit_fields()),
        });
        if let Some((cid, ct)) = &r.contact {
            entries.push(Created {
                entity: Entity::Contact.as_str(),
                entity_id: cid.clone(),
                customer_id: r.id.clone(),
                changes: changes(&ct.audit_fields()),
            });
        }
    }
    macro_rules! write_all {
        ($c:expr) => {{
            insert_rows!($c, customers::table, rows, 50, |r| (
                customers::id.eq(r.id.clone()),
                customers::name.eq(r.customer.name.clone()),
                customers::kind.eq(r.customer.kind.as_str()),
                customers::industry.eq(r.customer.industry.clone()),
                customers::source.eq(r.customer.source.clone()),
                customers::region_id.eq(r.customer.region_id.clone()),
                customers::owner_id.eq(r.customer.owner_id.clone()),
                customers::team_id.eq(r.customer.team_id.clone()),
                customers::partner_id.eq(r.customer.partner_id.clone()),
                customers::lifecycle_stage.eq(r.customer.lifecycle_stage.as_str()),
                customers::tags.eq(json(&r.customer.tags)),
                customers::phones.eq(json(&r.customer.phones)),
                customers::emails.eq(json(&r.customer.emails)),
                customers::address.eq(r.customer.address.clone()),
                customers::notes.eq(r.customer.notes.clone()),
                customers::search_text.eq(r.customer.search_text()),
                customers::renewal_on.eq(r.customer.renewal_on.map(crate::db::from_date)),
                customers::maintenance_on.eq(r.customer.maintenance_on.map(crate::db::from_date)),
                customers::created_by.eq(user.clone()),
                customers::created_at.eq(now),
                customers::updated_by.eq(user.clone()),
                customers::updated_at.eq(now),
                customers::version.eq(1i64),
                customers::keys_version.eq(KEYS_VERSION),
            ));
            insert_rows!($c, customer_product_lines::table, product_lines, 200, |r| (
                customer_product_lines::customer_id.eq(r.0),
                customer_product_lines::product_line_id.eq(r.1),
            ));
            insert_rows!($c, customer_tags::table, tags, 200, |r| (
                customer_tags::customer_id.eq(r.0),
                customer_tags::tag.eq(r.1),
            ));
            insert_rows!($c, customer_keys::table, keys, 200, |r| (
                customer_keys::customer_id.eq(r.0),
                customer_keys::kind.eq(r.1),
                customer_keys::key.eq(r.2),
            ));
            let new_contacts = rows
                .iter()
                .filter_map(|r| r.contact.as_ref().map(|(cid, ct)| (&r.id, cid, *ct)));
            insert_rows!($c, contacts::table, new_contacts, 50, |r| (
                contacts::id.eq(r.1.clone()),
                contacts::customer_id.eq(r.0.clone()),
                contacts::name.eq(r.2.name.clone()),
                contacts::title.eq(r.2.title.clone()),
                contacts::phones.eq(json(&r.2.phones)),
                contacts::emails.eq(json(&r.2.emails)),
                contacts::notes.eq(r.2.notes.clone()),
                contacts::search_text.eq(r.2.search_text()),
                contacts::do_not_contact.eq(json(&r.2.do_not_contact)),
                contacts::birthday.eq(r.2.birthday.map(|b| b.to_string())),
                contacts::birthday_md.eq(r.2.birthday.map(|b| b.month_day())),
                contacts::created_by.eq(user.clone()),
                contacts::created_at.eq(now),
                contacts::updated_by.eq(user.clone()),
                contacts::updated_at.eq(now),
                contacts::version.eq(1i64),
            ));
            insert_rows!($c, al::table, entries, 100, |e| (
                al::id.eq(crate::db::new_id()),
                al::entity.eq(e.entity),
                al::entity_id.eq(e.entity_id),
                al::customer_id.eq(Some(e.customer_id)),
                al::action.eq(Action::Create.as_str()),
                al::changes.eq(e.changes),
                al::user_id.eq(by.user_id.map(str::to_owned)),
                al::api_key_id.eq(key.clone()),
                al::at.eq(now),
                al::import_id.eq(Some(import_id.to_owned())),
            ));
        }};
    }
    match c {
        DbConnection::Sqlite(c) => write_all!(c),
        DbConnection::Pg(c) => write_all!(c),
    }
    Ok(())
}

fn changes(fields: &audit::Fields) -> String {
    let created = audit::diff(&Vec::new(), fields);
    serde_json::to_string(&created).unwrap_or_else(|_| "[]".into())
}
