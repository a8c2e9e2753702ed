//! Imports on the wire: the upload's answer, mapping, dry run, progress,
//! the per-row report, and saved mapping templates.

use chrono::{DateTime, Utc};
use kehu_domain::import::mapping::{ColumnField, Field};
use kehu_domain::import::plan::Policy;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The schema of a mapping's `field`: the names of the domain's [`Field`],
/// taken from it so that the list is written once.
pub struct FieldName;

impl utoipa::PartialSchema for FieldName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "A field a column can fill. `contact_*` fields create a contact on the\n\
                 customer when `contact_name` is filled; a row with a contact name but no\n\
                 company name becomes that person as a customer.",
            ))
            .enum_values(Some(Field::ALL.map(Field::as_str)))
            .into()
    }
}

impl ToSchema for FieldName {}

/// One column of the file and the field it fills.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"column": "公司名称", "field": "name"}))]
pub struct ColumnMapping {
    /// The column's header, exactly as in the file.
    #[schema(max_length = 200)]
    pub column: String,
    #[schema(value_type = FieldName)]
    pub field: Field,
}

impl From<&ColumnMapping> for ColumnField {
    fn from(m: &ColumnMapping) -> Self {
        ColumnField {
            column: m.column.clone(),
            field: m.field,
        }
    }
}

impl From<&ColumnField> for ColumnMapping {
    fn from(m: &ColumnField) -> Self {
        ColumnMapping {
            column: m.column.clone(),
            field: m.field,
        }
    }
}

/// What to do with a row that looks like an existing customer (same
/// normalised name, phone or e-mail) or like an earlier row of the file.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DuplicatePolicy {
    /// Leave the existing customer alone; the row is reported as skipped.
    Skip,
    /// Add the row's phones, e-mails and tags to the one customer it matches
    /// and fill the plain fields it has; name, stage and owner stay.
    Update,
    /// Create it anyway; recorded as a duplicate override.
    Create,
}

impl From<DuplicatePolicy> for Policy {
    fn from(p: DuplicatePolicy) -> Self {
        match p {
            DuplicatePolicy::Skip => Policy::Skip,
            DuplicatePolicy::Update => Policy::Update,
            DuplicatePolicy::Create => Policy::Create,
        }
    }
}

impl From<Policy> for DuplicatePolicy {
    fn from(p: Policy) -> Self {
        match p {
            Policy::Skip => DuplicatePolicy::Skip,
            Policy::Update => DuplicatePolicy::Update,
            Policy::Create => DuplicatePolicy::Create,
        }
    }
}

/// How far an import is.
#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Uploaded; mapping and policy can be changed and dry-run.
    Ready,
    /// Running in the background; `done_rows` grows.
    Running,
    /// Every row handled; see the counts and the report.
    Done,
    /// Stopped by a server fault; rows handled before it stay, see `error`.
    Failed,
    /// Undone: what it created is in the trash, what it updated restored.
    Undone,
}

/// Rows by what happened to them.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct ImportCounts {
    pub created: i64,
    pub updated: i64,
    pub skipped: i64,
    pub failed: i64,
}

/// A row of the file as read, for the preview.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PreviewRow {
    /// The line of the file the row starts on.
    pub line: i64,
    /// One cell per column, in the order of `columns`.
    pub cells: Vec<String>,
}

/// An import.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a0c2-7d4e-7aa0-9b1e-3f1c2d4e5f60", "status": "running", "kind": "csv", "encoding": "gb18030",
    "file_name": "客户名单.csv", "columns": ["公司名称", "联系人", "手机"],
    "mapping": [{"column": "公司名称", "field": "name"}, {"column": "联系人", "field": "contact_name"}, {"column": "手机", "field": "phones"}],
    "policy": "skip", "total_rows": 20000, "done_rows": 8000,
    "counts": {"created": 7890, "updated": 0, "skipped": 100, "failed": 10},
    "preview": [{"line": 2, "cells": ["上海华联超市有限公司", "张三", "13800138000"]}],
    "error": null, "created_at": "2026-11-30T08:30:00Z", "started_at": "2026-11-30T08:31:00Z", "finished_at": null, "undone_at": null
}))]
pub struct ImportOut {
    pub id: String,
    pub status: ImportStatus,
    /// `csv`, `vcard` or `xlsx`.
    pub kind: String,
    /// `utf8`, `gb18030` (also GBK and GB2312), `utf16le` or `utf16be`.
    pub encoding: String,
    pub file_name: Option<String>,
    /// The file's column headers (for vCards: FN, ORG, TITLE, TEL, EMAIL, ADR, NOTE).
    pub columns: Vec<String>,
    /// Which column fills which field; suggested from the headers on upload.
    pub mapping: Vec<ColumnMapping>,
    pub policy: DuplicatePolicy,
    pub total_rows: i64,
    /// Rows handled so far: progress while `running`.
    pub done_rows: i64,
    pub counts: ImportCounts,
    /// The first rows of the file as read.
    pub preview: Vec<PreviewRow>,
    /// Why a `failed` import stopped (an error id for the server's log).
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub undone_at: Option<DateTime<Utc>>,
}

/// A new mapping and policy for an import that has not run.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"mapping": [{"column": "公司名称", "field": "name"}, {"column": "手机", "field": "phones"}], "policy": "update"}))]
pub struct ImportSettings {
    #[schema(max_items = 200)]
    pub mapping: Vec<ColumnMapping>,
    pub policy: DuplicatePolicy,
}

/// What happened, or would happen, to one row.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    Created,
    Updated,
    Skipped,
    Failed,
}

/// One row of the report.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"line": 7, "outcome": "failed", "code": "invalid_phone", "column": "手机", "message": "手机: must be a phone number of 5 to 20 digits, e.g. +86 138 0013 8000 or 021-6888 8888", "customer_id": null}))]
pub struct RowOut {
    /// The line of the file the row starts on.
    pub line: i64,
    pub outcome: RowOutcome,
    /// Why it was skipped or failed, stable for translation: `required`,
    /// `invalid_phone`, … (the field rules), `duplicate_existing`,
    /// `duplicate_hidden`, `duplicate_in_file`, `ambiguous`, `not_editable`,
    /// `owner_unknown`, `out_of_reach`, `nothing_new`.
    pub code: Option<String>,
    /// The file's column at fault, when one is.
    pub column: Option<String>,
    pub message: Option<String>,
    /// The customer created or updated, or the visible one a skipped row matches.
    pub customer_id: Option<String>,
}

/// A dry run: what running the import now would do, with nothing written.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DryRunOut {
    pub counts: ImportCounts,
    /// The rows that would not simply be created (updated, skipped, failed),
    /// in file order, at most 500; the counts cover all.
    pub rows: Vec<RowOut>,
}

/// A page of the report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RowPage {
    pub data: Vec<RowOut>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// A saved mapping, for files that come in the same shape again.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a0c2-7d4e-7aa0-9b1e-3f1c2d4e5f61", "name": "展会名片", "mapping": [{"column": "ORG", "field": "name"}], "policy": "skip", "created_at": "2026-11-30T08:30:00Z"}))]
pub struct TemplateOut {
    pub id: String,
    pub name: String,
    pub mapping: Vec<ColumnMapping>,
    pub policy: DuplicatePolicy,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "展会名片", "mapping": [{"column": "ORG", "field": "name"}, {"column": "TEL", "field": "contact_phones"}], "policy": "skip"}))]
pub struct TemplateCreate {
    /// Unique among the caller's templates; 1 to 100 characters.
    #[schema(max_length = 100)]
    pub name: String,
    #[schema(max_items = 200)]
    pub mapping: Vec<ColumnMapping>,
    pub policy: DuplicatePolicy,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TemplateList {
    pub data: Vec<TemplateOut>,
}
