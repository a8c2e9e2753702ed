//! The failed rows of an import as a CSV file to fix and import again: the
//! file's own header and cells, then the line number and the reason, in the
//! caller's language.

use super::{own, table_of};
use crate::auth::Auth;
use crate::db;
use crate::error::{ApiError, Problem};
use crate::http::csv;
use crate::http::extract::id;
use crate::repo::imports as store;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use std::collections::HashMap;

/// The languages of the web UI, whose messages for row errors the file
/// uses, so that the screen and the file say the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    ZhCn,
    ZhTw,
}

impl Lang {
    /// The user's chosen language; when they chose none, the first language
    /// their browser asks for (`Accept-Language`); else English.
    fn of(locale: Option<&str>, accept_language: Option<&str>) -> Self {
        let tag = locale
            .or_else(|| {
                accept_language
                    .and_then(|h| h.split(',').next())
                    .map(|t| t.split(';').next().unwrap_or_default().trim())
            })
            .unwrap_or_default()
            .to_ascii_lowercase();
        if ["zh-tw", "zh-hk", "zh-mo", "zh-hant"]
            .iter()
            .any(|p| tag.starts_with(p))
        {
            Lang::ZhTw
        } else if tag.starts_with("zh") {
            Lang::ZhCn
        } else {
            Lang::En
        }
    }

    fn messages(self) -> &'static str {
        match self {
            Lang::En => include_str!("../../../../web-ui/locales/en/admin.ftl"),
            Lang::ZhCn => include_str!("../../../../web-ui/locales/zh-CN/admin.ftl"),
            Lang::ZhTw => include_str!("../../../../web-ui/locales/zh-TW/admin.ftl"),
        }
    }

    /// A plain one-line message of the UI's messages (`key = text`).
    fn message(self, key: &str) -> Option<&'static str> {
        self.messages().lines().find_map(|l| {
            l.strip_prefix(key)
                .and_then(|rest| rest.trim_start().strip_prefix('='))
                .map(str::trim)
        })
    }
}

/// Why a row failed, in `lang`: the column at fault and the reason for its
/// code. English keeps the API's own message, which is the most precise; a
/// code without a translation keeps it too.
fn reason(lang: Lang, code: Option<&str>, column: Option<&str>, message: Option<&str>) -> String {
    let english = message.unwrap_or_default().to_owned();
    if lang == Lang::En {
        return english;
    }
    let Some(why) = code.and_then(|c| lang.message(&format!("import-why-{c}"))) else {
        return english;
    };
    match column {
        Some(col) => format!("{col}: {why}"),
        None => why.to_owned(),
    }
}

/// The rows of an import that failed, as CSV (UTF-8 with a byte-order mark):
/// the header of the uploaded file, each failed row's cells as they were in
/// the file, and two more columns, the line number and the reason. The
/// reason and those two headers are in the caller's language (their
/// `locale`; when they chose none, the first of `Accept-Language`; else
/// English). Fix the rows and upload the
/// file again: the two extra columns are left unmapped. Cells that a
/// spreadsheet would run as a formula are prefixed with `'`, as in exports.
#[utoipa::path(get, path = "/api/v1/imports/{id}/failed", tag = "imports", params(("id" = String, Path)),
    responses(
        (status = 200, description = "The failed rows", content_type = "text/csv", body = String,
            example = "\u{feff}公司名称,手机,行号,失败原因\r\n上海华联,12345,3,手机: 不是有效的电话号码\r\n"),
        (status = 404, description = "No such import, or another user's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn failed_rows(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let iid = id(&path)?;
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let user = auth.user_id().to_owned();
    let body = db::run(&state.pool, move |c| {
        let imp = own(store::get(c, &iid, &user)?)?;
        let locale = crate::repo::users::get(c, &user)?.and_then(|u| u.row.locale);
        let lang = Lang::of(locale.as_deref(), accept.as_deref());
        let failed = store::rows_page(c, &iid, Some("failed"), -1, i64::MAX)?;
        let table = table_of(&imp);
        drop(imp);
        let by_line: HashMap<i64, &[String]> = table
            .rows
            .iter()
            .map(|r| (i64::from(r.line), r.cells.as_slice()))
            .collect();
        let width = table.columns.len();
        let mut head = table.columns.clone();
        head.push(
            lang.message("import-failed-column-line")
                .unwrap_or("line")
                .to_owned(),
        );
        head.push(
            lang.message("import-failed-column-reason")
                .unwrap_or("reason")
                .to_owned(),
        );
        let mut out = format!("{}{}", csv::BOM, csv::row(&head));
        for f in &failed {
            let mut cells: Vec<String> =
                by_line.get(&f.line).map(|c| c.to_vec()).unwrap_or_default();
            cells.resize(width.max(cells.len()), String::new());
            cells.push(f.line.to_string());
            cells.push(reason(
                lang,
                f.code.as_deref(),
                f.column.as_deref(),
                f.message.as_deref(),
            ));
            out.push_str(&csv::row(&cells));
        }
        Ok(out)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"kehu-import-failed-rows.csv\"",
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_users_choice_comes_before_the_browsers() {
        assert_eq!(Lang::of(Some("zh-TW"), Some("en-US,en")), Lang::ZhTw);
        assert_eq!(Lang::of(None, Some("zh-CN,zh;q=0.9,en;q=0.8")), Lang::ZhCn);
        assert_eq!(Lang::of(None, Some("zh-Hant-TW;q=1")), Lang::ZhTw);
        assert_eq!(Lang::of(Some("en"), Some("zh-CN")), Lang::En);
        assert_eq!(Lang::of(None, Some("fr")), Lang::En);
        assert_eq!(Lang::of(None, None), Lang::En);
    }

    #[test]
    fn every_language_has_the_two_headers() {
        for lang in [Lang::En, Lang::ZhCn, Lang::ZhTw] {
            assert!(lang.message("import-failed-column-line").is_some());
            assert!(lang.message("import-failed-column-reason").is_some());
        }
        assert_eq!(
            Lang::ZhCn.message("import-failed-column-reason"),
            Some("失败原因")
        );
    }

    #[test]
    fn reasons_are_translated_by_code_with_the_column() {
        let english = "手机: must be a phone number";
        let msg = Some(english);
        assert_eq!(
            reason(Lang::ZhCn, Some("invalid_phone"), Some("手机"), msg),
            "手机: 不是有效的电话号码"
        );
        assert_eq!(
            reason(Lang::ZhTw, Some("duplicate_in_file"), None, Some("x")),
            "與前面某列是同一客戶"
        );
        // English keeps the API's words; an unknown code falls back to them
        assert_eq!(
            reason(Lang::En, Some("invalid_phone"), Some("手机"), msg),
            english
        );
        assert_eq!(reason(Lang::ZhCn, Some("no_such_code"), None, msg), english);
    }
}
