//! One row of a file as a validated customer (and contact), or the reasons
//! it cannot be one, each naming the column at fault.

use super::Row;
use super::mapping::{Field, Mapping};
use crate::contact::{Contact, RawContact};
use crate::customer::{Creator, Customer, CustomerKind, RawCustomer};
use crate::dedup::half_width;
use crate::text::{Email, Phone, Tag};
use serde::{Deserialize, Serialize};

/// Why a row was not imported: which column, a stable code and the words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// The file's column at fault; `None` when the row as a whole is.
    pub column: Option<String>,
    pub code: String,
    pub message: String,
}

impl RowError {
    pub fn row(code: &str, message: impl Into<String>) -> Self {
        Self {
            column: None,
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// A row that is a valid customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub customer: Customer,
    /// The contact the row names, if it names one apart from the customer.
    pub contact: Option<Contact>,
    /// The owner the row names by e-mail, for the API to resolve.
    pub owner_email: Option<String>,
    /// The fields the row filled, which an update may change.
    pub filled: Vec<Field>,
}

/// Separators of several values in one cell: `13800138000/021-68888888`,
/// `a@x.cn; b@x.cn`, `重点、展会`.
const LIST_SEPARATORS: [char; 8] = [';', '；', ',', '，', '、', '/', '\n', '|'];

fn cell(row: &Row, idx: usize) -> &str {
    row.cells.get(idx).map(|s| s.trim()).unwrap_or_default()
}

/// The single value of `f`, `None` when unmapped or blank.
fn one(row: &Row, m: &Mapping, f: Field) -> Option<String> {
    m.columns(f)
        .first()
        .map(|&i| cell(row, i))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Every value of a list field across its columns; half-width, since
/// Chinese input methods type full-width digits and @.
fn many(row: &Row, m: &Mapping, f: Field) -> Vec<String> {
    m.columns(f)
        .iter()
        .flat_map(|&i| cell(row, i).split(LIST_SEPARATORS))
        .map(|v| {
            v.chars()
                .map(half_width)
                .collect::<String>()
                .trim()
                .to_owned()
        })
        .filter(|v| !v.is_empty())
        .collect()
}

/// Stage names as people write them in either language.
fn stage(v: &str) -> String {
    match v.trim().to_lowercase().as_str() {
        "潜在" | "潜在客户" => "prospect",
        "意向" | "意向客户" => "interested",
        "成交" | "成交客户" => "customer",
        "升级" | "vip" | "vip客户" => "vip",
        "流失" | "流失客户" => "churned",
        other => return other.to_owned(),
    }
    .to_owned()
}

fn kind(v: &str) -> String {
    match v.trim().to_lowercase().as_str() {
        "公司" | "企业" | "单位" | "机构" => "company",
        "个人" | "自然人" => "person",
        other => return other.to_owned(),
    }
    .to_owned()
}

/// A date as spreadsheets hold it: `2026-12-01`, `2026/12/1`, `2026.12.1`,
/// `2026年12月1日`; a birthday may lack the year (`12-01`, `12月1日`).
/// Anything else is passed on as written, for the domain to refuse.
fn date(v: &str, year_optional: bool) -> String {
    let parts: Vec<&str> = v
        .trim()
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    let all_digits = parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    match parts.as_slice() {
        [y, m, d] if all_digits && y.len() == 4 && m.len() <= 2 && d.len() <= 2 => {
            format!("{y}-{m:0>2}-{d:0>2}")
        }
        [m, d] if all_digits && year_optional && m.len() <= 2 && d.len() <= 2 => {
            format!("--{m:0>2}-{d:0>2}")
        }
        _ => v.trim().to_owned(),
    }
}

fn column_names(columns: &[String], m: &Mapping, f: Field) -> Option<String> {
    let names: Vec<&str> = m
        .columns(f)
        .iter()
        .filter_map(|&i| columns.get(i).map(String::as_str))
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

fn errors(
    e: crate::Invalid,
    columns: &[String],
    m: &Mapping,
    contact: bool,
    person: bool,
) -> Vec<RowError> {
    e.0.into_iter()
        .map(|fe| {
            let base = fe.field.split('[').next().unwrap_or_default();
            let field = match (contact || person, base) {
                (true, "name") => Some(Field::ContactName),
                (true, "title") => Some(Field::ContactTitle),
                (true, "birthday") => Some(Field::ContactBirthday),
                (true, "phones") if !m.has(Field::Phones) || contact => Some(Field::ContactPhones),
                (true, "emails") if !m.has(Field::Emails) || contact => Some(Field::ContactEmails),
                _ => Field::parse(base),
            };
            let column = field.and_then(|f| column_names(columns, m, f));
            RowError {
                code: fe.code.to_owned(),
                message: match &column {
                    Some(c) => format!("{c}: {}", fe.message),
                    None => fe.message,
                },
                column,
            }
        })
        .collect()
}

/// The customer (and contact) a row describes. Defaults are the creator's
/// as for a customer entered by hand. A row without a company name but with
/// a person's name is that person as a customer (a business card of
/// someone self-employed), with the card's phones and e-mails.
pub fn draft(
    row: &Row,
    columns: &[String],
    m: &Mapping,
    creator: &Creator,
) -> Result<Draft, Vec<RowError>> {
    let contact_name = one(row, m, Field::ContactName);
    let company = one(row, m, Field::Name);
    let person = company.is_none() && contact_name.is_some();
    let mut phones = many(row, m, Field::Phones);
    let mut emails = many(row, m, Field::Emails);
    if person {
        phones.extend(many(row, m, Field::ContactPhones));
        emails.extend(many(row, m, Field::ContactEmails));
    }
    let mut filled: Vec<Field> = Field::ALL
        .into_iter()
        .filter(|&f| m.columns(f).iter().any(|&i| !cell(row, i).is_empty()))
        .collect();
    if person {
        filled.retain(|f| {
            !matches!(
                f,
                Field::ContactName | Field::ContactPhones | Field::ContactEmails
            )
        });
        filled.extend([Field::Name, Field::Kind]);
        if !phones.is_empty() {
            filled.push(Field::Phones);
        }
        if !emails.is_empty() {
            filled.push(Field::Emails);
        }
    }
    let raw = RawCustomer {
        name: company.clone().or(contact_name.clone()),
        kind: if person {
            Some("person".into())
        } else {
            one(row, m, Field::Kind).map(|k| kind(&k))
        },
        industry: one(row, m, Field::Industry).map(Some),
        source: one(row, m, Field::Source).map(Some),
        lifecycle_stage: one(row, m, Field::LifecycleStage).map(|s| stage(&s)),
        tags: Some(many(row, m, Field::Tags)),
        phones: Some(phones),
        emails: Some(emails),
        address: one(row, m, Field::Address).map(Some),
        notes: one(row, m, Field::Notes).map(Some),
        renewal_on: one(row, m, Field::RenewalOn).map(|v| Some(date(&v, false))),
        maintenance_on: one(row, m, Field::MaintenanceOn).map(|v| Some(date(&v, false))),
        ..RawCustomer::default()
    };
    let customer = Customer::create(raw, creator).map_err(|e| errors(e, columns, m, false, person));
    let contact = match contact_name.filter(|_| !person) {
        None => Ok(None),
        Some(name) => Contact::create(RawContact {
            name: Some(name),
            title: one(row, m, Field::ContactTitle).map(Some),
            phones: Some(many(row, m, Field::ContactPhones)),
            emails: Some(many(row, m, Field::ContactEmails)),
            birthday: one(row, m, Field::ContactBirthday).map(|v| Some(date(&v, true))),
            ..RawContact::default()
        })
        .map(Some)
        .map_err(|e| errors(e, columns, m, true, false)),
    };
    match (customer, contact) {
        (Ok(customer), Ok(contact)) => Ok(Draft {
            customer,
            contact,
            owner_email: one(row, m, Field::OwnerEmail),
            filled,
        }),
        (a, b) => Err(a
            .err()
            .into_iter()
            .flatten()
            .chain(b.err().into_iter().flatten())
            .collect()),
    }
}

fn union<T: Clone>(a: &[T], b: &[T], key: impl Fn(&T) -> String, max: usize) -> Vec<T> {
    let mut out = a.to_vec();
    for x in b {
        if out.len() < max && !out.iter().any(|y| key(y) == key(x)) {
            out.push(x.clone());
        }
    }
    out
}

/// `existing` with what a row adds: the plain fields the row filled replace
/// the record's; phones, e-mails and tags are added to the record's. Name,
/// stage, owner and territory stay as they are: an import that matched a
/// record by phone must not rename it, move it along the lifecycle without
/// a reason, or hand it to someone else.
pub fn merge(existing: &Customer, row: &Draft) -> Customer {
    use crate::customer::{MAX_EMAILS, MAX_PHONES, MAX_TAGS};
    let mut next = existing.clone();
    let new = &row.customer;
    for f in &row.filled {
        match f {
            Field::Industry => next.industry = new.industry.clone(),
            Field::Source => next.source = new.source.clone(),
            Field::Address => next.address = new.address.clone(),
            Field::Notes => next.notes = new.notes.clone(),
            Field::RenewalOn => next.renewal_on = new.renewal_on,
            Field::MaintenanceOn => next.maintenance_on = new.maintenance_on,
            Field::Kind
                if new.kind != CustomerKind::Person || existing.kind == CustomerKind::Person =>
            {
                next.kind = new.kind
            }
            _ => {}
        }
    }
    next.phones = union(&existing.phones, &new.phones, Phone::key, MAX_PHONES);
    next.emails = union(&existing.emails, &new.emails, Email::key, MAX_EMAILS);
    next.tags = union(
        &existing.tags,
        &new.tags,
        |t: &Tag| t.as_str().to_lowercase(),
        MAX_TAGS,
    );
    next
}

#[cfg(test)]
mod tests {
    use super::super::mapping::{ColumnField, Mapping};
    use super::*;
    use proptest::prelude::*;

    fn creator() -> Creator {
        Creator {
            user_id: "rep".into(),
            team_id: Some("team".into()),
            home_region_id: Some("sh".into()),
            partner_id: None,
        }
    }

    fn setup(columns: &[&str], fields: &[Field]) -> (Vec<String>, Mapping) {
        let columns: Vec<String> = columns.iter().map(|c| (*c).to_owned()).collect();
        let raw: Vec<ColumnField> = columns
            .iter()
            .zip(fields)
            .map(|(c, f)| ColumnField {
                column: c.clone(),
                field: *f,
            })
            .collect();
        let m = Mapping::parse(&columns, &raw).unwrap();
        (columns, m)
    }

    fn row(cells: &[&str]) -> Row {
        Row {
            line: 2,
            cells: cells.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    #[test]
    fn dates_as_spreadsheets_write_them() {
        let (cols, m) = setup(
            &["公司", "续约日期", "维保日期", "联系人", "生日"],
            &[
                Field::Name,
                Field::RenewalOn,
                Field::MaintenanceOn,
                Field::ContactName,
                Field::ContactBirthday,
            ],
        );
        let d = draft(
            &row(&["华联", "2026/12/1", "2027年3月5日", "王芳", "7月14日"]),
            &cols,
            &m,
            &creator(),
        )
        .unwrap();
        assert_eq!(d.customer.renewal_on.unwrap().to_string(), "2026-12-01");
        assert_eq!(d.customer.maintenance_on.unwrap().to_string(), "2027-03-05");
        assert_eq!(d.contact.unwrap().birthday.unwrap().to_string(), "--07-14");
        let e = draft(
            &row(&["华联", "明年", "", "王芳", "1990-02-30"]),
            &cols,
            &m,
            &creator(),
        )
        .unwrap_err();
        let cols_named: Vec<_> = e.iter().map(|x| x.column.as_deref()).collect();
        assert_eq!(cols_named, [Some("续约日期"), Some("生日")]);
    }

    #[test]
    fn a_row_becomes_the_creators_customer_with_its_contact() {
        let (cols, m) = setup(
            &["公司名称", "电话", "联系人", "职位", "阶段", "标签"],
            &[
                Field::Name,
                Field::Phones,
                Field::ContactName,
                Field::ContactTitle,
                Field::LifecycleStage,
                Field::Tags,
            ],
        );
        let d = draft(
            &row(&[
                "华联超市",
                "１３８００１３８０００/021-68888888",
                "张三",
                "经理",
                "意向",
                "重点、展会",
            ]),
            &cols,
            &m,
            &creator(),
        )
        .unwrap();
        assert_eq!(d.customer.name, "华联超市");
        assert_eq!(d.customer.owner_id.as_deref(), Some("rep"));
        assert_eq!(d.customer.region_id.as_deref(), Some("sh"));
        let phones: Vec<&str> = d.customer.phones.iter().map(|p| p.as_str()).collect();
        assert_eq!(phones, vec!["13800138000", "021-68888888"]);
        assert_eq!(d.customer.lifecycle_stage.as_str(), "interested");
        assert_eq!(d.customer.tags.len(), 2);
        let contact = d.contact.unwrap();
        assert_eq!(
            (contact.name.as_str(), contact.title.as_deref()),
            ("张三", Some("经理"))
        );
    }

    #[test]
    fn a_card_without_a_company_is_the_person_as_customer() {
        let (cols, m) = setup(
            &["FN", "ORG", "TEL"],
            &[Field::ContactName, Field::Name, Field::ContactPhones],
        );
        let d = draft(&row(&["李四", "", "13900139000"]), &cols, &m, &creator()).unwrap();
        assert_eq!(d.customer.name, "李四");
        assert_eq!(d.customer.kind, CustomerKind::Person);
        assert_eq!(d.customer.phones.len(), 1);
        assert!(d.contact.is_none());
    }

    #[test]
    fn every_bad_value_names_its_column() {
        let (cols, m) = setup(
            &["名称", "手机", "邮箱", "阶段", "联系人", "联系人邮箱"],
            &[
                Field::Name,
                Field::Phones,
                Field::Emails,
                Field::LifecycleStage,
                Field::ContactName,
                Field::ContactEmails,
            ],
        );
        let e = draft(
            &row(&["", "12", "not-mail", "maybe", "", ""]),
            &cols,
            &m,
            &creator(),
        )
        .unwrap_err();
        let at: Vec<(Option<&str>, &str)> = e
            .iter()
            .map(|r| (r.column.as_deref(), r.code.as_str()))
            .collect();
        assert_eq!(
            at,
            vec![
                (Some("名称"), "required"),
                (Some("阶段"), "invalid_choice"),
                (Some("手机"), "invalid_phone"),
                (Some("邮箱"), "invalid_email"),
            ]
        );
        assert!(e[2].message.starts_with("手机: "));
        let e = draft(
            &row(&["华联", "", "", "", "王五", "x@"]),
            &cols,
            &m,
            &creator(),
        )
        .unwrap_err();
        assert_eq!(e[0].column.as_deref(), Some("联系人邮箱"));
    }

    #[test]
    fn a_merge_adds_lists_and_fills_plain_fields_but_keeps_name_and_stage() {
        let (cols, m) = setup(
            &["名称", "电话", "行业", "阶段"],
            &[
                Field::Name,
                Field::Phones,
                Field::Industry,
                Field::LifecycleStage,
            ],
        );
        let existing = draft(
            &row(&["华联超市有限公司", "13800138000", "", ""]),
            &cols,
            &m,
            &creator(),
        )
        .unwrap()
        .customer;
        let incoming = draft(
            &row(&["华联超市", "138 0013 8000; 021-68888888", "零售", "成交"]),
            &cols,
            &m,
            &creator(),
        )
        .unwrap();
        let merged = merge(&existing, &incoming);
        assert_eq!(merged.name, "华联超市有限公司");
        assert_eq!(
            merged.phones.len(),
            2,
            "the same number written another way is not added"
        );
        assert_eq!(merged.industry.as_deref(), Some("零售"));
        assert_eq!(merged.lifecycle_stage, existing.lifecycle_stage);
        let blank = draft(&row(&["华联超市", "", "", ""]), &cols, &m, &creator()).unwrap();
        assert_eq!(merge(&merged, &blank), merged, "blank cells change nothing");
    }

    proptest! {
        #[test]
        fn any_row_is_a_draft_or_reasons_never_a_panic(cells in prop::collection::vec("\\PC{0,30}", 0..6)) {
            let (cols, m) = setup(
                &["a", "b", "c", "d", "e", "f"],
                &[Field::Name, Field::Phones, Field::Emails, Field::ContactName, Field::Tags, Field::Kind],
            );
            let r = Row { line: 1, cells };
            match draft(&r, &cols, &m, &creator()) {
                Ok(d) => prop_assert!(!d.customer.name.is_empty()),
                Err(e) => prop_assert!(!e.is_empty()),
            }
        }
    }
}
