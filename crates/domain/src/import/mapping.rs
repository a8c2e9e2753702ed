//! Which column of the file fills which field, suggested from the headers
//! people write in Chinese and English, and checked before anything runs.

use crate::error::{Collector, FieldError, Invalid};
use serde::{Deserialize, Serialize};

/// A field a column can fill: the customer's, or its contact's (a row with
/// a contact name also creates that contact).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Kind,
    Industry,
    Source,
    Phones,
    Emails,
    Address,
    Notes,
    Tags,
    LifecycleStage,
    OwnerEmail,
    ContactName,
    ContactTitle,
    ContactPhones,
    ContactEmails,
    RenewalOn,
    MaintenanceOn,
    ContactBirthday,
}

impl Field {
    pub const ALL: [Field; 18] = [
        Field::Name,
        Field::Kind,
        Field::Industry,
        Field::Source,
        Field::Phones,
        Field::Emails,
        Field::Address,
        Field::Notes,
        Field::Tags,
        Field::LifecycleStage,
        Field::OwnerEmail,
        Field::ContactName,
        Field::ContactTitle,
        Field::ContactPhones,
        Field::ContactEmails,
        Field::RenewalOn,
        Field::MaintenanceOn,
        Field::ContactBirthday,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Kind => "kind",
            Field::Industry => "industry",
            Field::Source => "source",
            Field::Phones => "phones",
            Field::Emails => "emails",
            Field::Address => "address",
            Field::Notes => "notes",
            Field::Tags => "tags",
            Field::LifecycleStage => "lifecycle_stage",
            Field::OwnerEmail => "owner_email",
            Field::ContactName => "contact_name",
            Field::ContactTitle => "contact_title",
            Field::ContactPhones => "contact_phones",
            Field::ContactEmails => "contact_emails",
            Field::RenewalOn => "renewal_on",
            Field::MaintenanceOn => "maintenance_on",
            Field::ContactBirthday => "contact_birthday",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// Fields holding a list: several columns may fill them, and a cell may
    /// hold several values.
    pub fn is_list(self) -> bool {
        matches!(
            self,
            Field::Phones
                | Field::Emails
                | Field::Tags
                | Field::ContactPhones
                | Field::ContactEmails
        )
    }

    /// Header words (normalised by [`normalise`]) that suggest this field.
    fn words(self) -> &'static [&'static str] {
        match self {
            Field::Name => &[
                "公司名称",
                "客户名称",
                "公司",
                "客户",
                "单位名称",
                "单位",
                "企业名称",
                "企业",
                "名称",
                "公司全称",
                "客户全称",
                "company",
                "companyname",
                "customer",
                "customername",
                "name",
                "organization",
                "organisation",
                "org",
                "account",
                "accountname",
            ],
            Field::Kind => &["客户类型", "类型", "kind", "type", "customertype"],
            Field::Industry => &["行业", "所属行业", "industry"],
            Field::Source => &["来源", "客户来源", "source", "leadsource"],
            Field::Phones => &[
                "电话",
                "手机",
                "手机号",
                "手机号码",
                "联系电话",
                "座机",
                "固话",
                "电话号码",
                "公司电话",
                "phone",
                "phones",
                "mobile",
                "tel",
                "telephone",
                "cell",
                "phonenumber",
            ],
            Field::Emails => &[
                "邮箱",
                "电子邮件",
                "电子邮箱",
                "邮件",
                "email",
                "emails",
                "mail",
                "emailaddress",
            ],
            Field::Address => &["地址", "公司地址", "详细地址", "address", "adr", "addr"],
            Field::Notes => &[
                "备注", "说明", "notes", "note", "remark", "remarks", "comment", "comments",
            ],
            Field::Tags => &["标签", "tags", "tag"],
            Field::LifecycleStage => &["阶段", "客户阶段", "生命周期", "stage", "lifecyclestage"],
            Field::OwnerEmail => &["负责人邮箱", "负责人", "销售邮箱", "owner", "owneremail"],
            Field::ContactName => &[
                "联系人",
                "联系人姓名",
                "姓名",
                "contact",
                "contactname",
                "fn",
                "fullname",
                "person",
            ],
            Field::ContactTitle => &[
                "职位",
                "职务",
                "联系人职位",
                "title",
                "jobtitle",
                "position",
            ],
            Field::ContactPhones => &["联系人电话", "联系人手机", "contactphone", "contactmobile"],
            Field::ContactEmails => &["联系人邮箱", "contactemail"],
            Field::RenewalOn => &[
                "续约日期",
                "续费日期",
                "合同到期",
                "合同到期日",
                "到期日期",
                "renewal",
                "renewaldate",
                "renewalon",
            ],
            Field::MaintenanceOn => &[
                "维保日期",
                "维护日期",
                "保养日期",
                "maintenance",
                "maintenancedate",
                "maintenanceon",
            ],
            Field::ContactBirthday => &[
                "生日",
                "联系人生日",
                "出生日期",
                "birthday",
                "birthdate",
                "dateofbirth",
                "contactbirthday",
            ],
        }
    }
}

/// A header as compared: lower case, half-width, without spaces and
/// punctuation (`E-mail`, `e_mail` and `EMAIL ` are one header).
pub fn normalise(header: &str) -> String {
    header
        .chars()
        .map(crate::dedup::half_width)
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// One column and the field it fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnField {
    pub column: String,
    pub field: Field,
}

/// The field each header suggests, one column per field except list fields.
/// From a vCard, telephone and e-mail belong to the person on the card, so
/// they go to the contact when the card names one.
pub fn suggest(columns: &[String]) -> Vec<ColumnField> {
    let mut out: Vec<ColumnField> = Vec::new();
    let vcard = columns.iter().any(|c| c == "FN") && columns.iter().any(|c| c == "ORG");
    for column in columns {
        let h = normalise(column);
        let field = if vcard {
            match column.as_str() {
                "FN" => Some(Field::ContactName),
                "ORG" => Some(Field::Name),
                "TITLE" => Some(Field::ContactTitle),
                "TEL" => Some(Field::ContactPhones),
                "EMAIL" => Some(Field::ContactEmails),
                "ADR" => Some(Field::Address),
                "NOTE" => Some(Field::Notes),
                _ => None,
            }
        } else {
            // contact fields first: 联系人电话 is the contact's, not the company's
            let order = Field::ALL.iter().rev();
            order.copied().find(|f| f.words().contains(&h.as_str()))
        };
        if let Some(field) = field
            && (field.is_list() || !out.iter().any(|m| m.field == field))
        {
            out.push(ColumnField {
                column: column.clone(),
                field,
            });
        }
    }
    out
}

/// A mapping checked against the file's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// For each field, the indexes of the columns that fill it.
    pub by_field: Vec<(Field, Vec<usize>)>,
}

impl Mapping {
    /// Every column named must exist, a single-valued field is filled by one
    /// column, and something must name the customer (its name, or a contact
    /// name for a person).
    pub fn parse(columns: &[String], raw: &[ColumnField]) -> Result<Self, Invalid> {
        let mut c = Collector::new();
        let mut by_field: Vec<(Field, Vec<usize>)> = Vec::new();
        for (i, m) in raw.iter().enumerate() {
            let Some(idx) = columns.iter().position(|col| *col == m.column) else {
                c.push(FieldError::new(
                    format!("mapping[{i}].column"),
                    "not_found",
                    format!("the file has no column {:?}", m.column),
                ));
                continue;
            };
            match by_field.iter_mut().find(|(f, _)| *f == m.field) {
                Some((f, idxs)) if f.is_list() => idxs.push(idx),
                Some(_) => c.push(FieldError::new(
                    format!("mapping[{i}].field"),
                    "duplicate",
                    format!("{} is filled by another column already", m.field.as_str()),
                )),
                None => by_field.push((m.field, vec![idx])),
            }
        }
        if !by_field
            .iter()
            .any(|(f, _)| matches!(f, Field::Name | Field::ContactName))
        {
            c.push(FieldError::new(
                "mapping",
                "required",
                "map a column to name (or contact_name for people)",
            ));
        }
        c.finish()?;
        Ok(Self { by_field })
    }

    pub fn has(&self, f: Field) -> bool {
        self.by_field.iter().any(|(x, _)| *x == f)
    }

    /// The columns filling `f`.
    pub fn columns(&self, f: Field) -> &[usize] {
        self.by_field
            .iter()
            .find(|(x, _)| *x == f)
            .map(|(_, c)| c.as_slice())
            .unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    fn fields(v: &[ColumnField]) -> Vec<(&str, &str)> {
        v.iter()
            .map(|m| (m.column.as_str(), m.field.as_str()))
            .collect()
    }

    #[test]
    fn chinese_and_english_headers_are_recognised() {
        let s = suggest(&cols(&[
            "公司名称",
            "联系人",
            "手机",
            "座机",
            "联系人电话",
            "E-mail",
            "地址",
            "备注",
            "序号",
        ]));
        assert_eq!(
            fields(&s),
            vec![
                ("公司名称", "name"),
                ("联系人", "contact_name"),
                ("手机", "phones"),
                ("座机", "phones"),
                ("联系人电话", "contact_phones"),
                ("E-mail", "emails"),
                ("地址", "address"),
                ("备注", "notes"),
            ]
        );
        let s = suggest(&cols(&[
            "Company Name",
            "Phone",
            "Contact",
            "Job Title",
            "ＥＭＡＩＬ",
        ]));
        assert_eq!(
            fields(&s),
            vec![
                ("Company Name", "name"),
                ("Phone", "phones"),
                ("Contact", "contact_name"),
                ("Job Title", "contact_title"),
                ("ＥＭＡＩＬ", "emails"),
            ]
        );
    }

    #[test]
    fn a_single_field_is_suggested_once() {
        let s = suggest(&cols(&["客户名称", "公司名称"]));
        assert_eq!(fields(&s), vec![("客户名称", "name")]);
    }

    #[test]
    fn vcard_columns_map_the_person_to_the_contact() {
        let s = suggest(&cols(&super::super::vcard::COLUMNS));
        assert!(s.contains(&ColumnField {
            column: "ORG".into(),
            field: Field::Name
        }));
        assert!(s.contains(&ColumnField {
            column: "TEL".into(),
            field: Field::ContactPhones
        }));
    }

    #[test]
    fn a_mapping_names_unknown_columns_and_repeated_fields() {
        let columns = cols(&["名称", "电话", "电话2"]);
        let raw = vec![
            ColumnField {
                column: "名称".into(),
                field: Field::Name,
            },
            ColumnField {
                column: "电话".into(),
                field: Field::Phones,
            },
            ColumnField {
                column: "电话2".into(),
                field: Field::Phones,
            },
        ];
        let m = Mapping::parse(&columns, &raw).unwrap();
        assert_eq!(m.columns(Field::Phones), &[1, 2]);
        let bad = vec![
            ColumnField {
                column: "名称".into(),
                field: Field::Name,
            },
            ColumnField {
                column: "电话".into(),
                field: Field::Name,
            },
            ColumnField {
                column: "传真".into(),
                field: Field::Phones,
            },
        ];
        let e = Mapping::parse(&columns, &bad).unwrap_err();
        let at: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(at, vec!["mapping[1].field", "mapping[2].column"]);
        let e = Mapping::parse(&columns, &raw[1..]).unwrap_err();
        assert_eq!(e.0[0].field, "mapping");
        for f in Field::ALL {
            assert_eq!(Field::parse(f.as_str()), Some(f));
        }
    }
}
