//! Which sites may post to a public web form (CORS): a form lists the
//! origins of the pages that embed it, or none for any site.

use crate::error::Collector;
use crate::{FieldError, Invalid};

/// Origins one form may list.
pub const ORIGINS_MAX: usize = 20;
/// Characters of one origin.
pub const ORIGIN_MAX: usize = 200;

/// An origin as browsers send it in `Origin`: `https://www.example.com`,
/// `http://localhost:3000`: scheme and host in lower case, the port only
/// when it is not the scheme's default, no path. `None` for anything else
/// (a path, a query, credentials, another scheme).
pub fn origin(raw: &str) -> Option<String> {
    let s = raw.trim().to_ascii_lowercase();
    let s = s.strip_suffix('/').unwrap_or(&s);
    let (scheme, rest) = s.split_once("://")?;
    let default_port = match scheme {
        "https" => "443",
        "http" => "80",
        _ => return None,
    };
    if rest.is_empty()
        || rest.chars().any(|c| {
            matches!(c, '/' | '?' | '#' | '@' | '\\') || c.is_whitespace() || c.is_control()
        })
    {
        return None;
    }
    let (host, port) = match rest.rsplit_once(':') {
        // an IPv6 literal's colons are inside its brackets
        Some((h, p)) if !p.contains(']') => (h, Some(p)),
        _ => (rest, None),
    };
    if host.is_empty() || (host.contains(':') && !(host.starts_with('[') && host.ends_with(']'))) {
        return None;
    }
    let port = match port {
        None => None,
        Some(p) if !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => {
            let n: u32 = p.parse().ok()?;
            if n == 0 || n > 65_535 {
                return None;
            }
            (n.to_string() != default_port).then(|| n.to_string())
        }
        Some(_) => return None,
    };
    Some(match port {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
    })
}

/// A form's allowed origins, checked and normalised, each once, in the
/// order given; errors name the place (`allowed_origins[2]`).
pub fn parse_origins(field: &str, raw: &[String]) -> Result<Vec<String>, Invalid> {
    let mut c = Collector::new();
    if raw.len() > ORIGINS_MAX {
        c.push(FieldError::new(
            field,
            "too_many",
            format!("at most {ORIGINS_MAX} sites"),
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, o) in raw.iter().enumerate() {
        match origin(o).filter(|_| o.chars().count() <= ORIGIN_MAX) {
            Some(o) if out.contains(&o) => {}
            Some(o) => out.push(o),
            None => c.push(FieldError::new(
                format!("{field}[{i}]"),
                "invalid_origin",
                "must be a site's origin like https://www.example.com (scheme, host and port only)",
            )),
        }
    }
    c.finish()?;
    Ok(out)
}

/// Whether a browser page at `request_origin` may post to a form that
/// allows `allowed` (normalised by [`parse_origins`]; empty: any site).
pub fn origin_allowed(allowed: &[String], request_origin: &str) -> bool {
    allowed.is_empty() || origin(request_origin).is_some_and(|o| allowed.contains(&o))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn origins_are_scheme_host_and_a_port_other_than_the_default() {
        assert_eq!(
            origin("https://WWW.Example.com/").as_deref(),
            Some("https://www.example.com")
        );
        assert_eq!(
            origin("https://example.com:443").as_deref(),
            Some("https://example.com")
        );
        assert_eq!(
            origin("http://example.com:80").as_deref(),
            Some("http://example.com")
        );
        assert_eq!(
            origin("http://localhost:3000").as_deref(),
            Some("http://localhost:3000")
        );
        assert_eq!(
            origin("https://[::1]:8443").as_deref(),
            Some("https://[::1]:8443")
        );
        assert_eq!(
            origin("https://例子.中国").as_deref(),
            Some("https://例子.中国")
        );
        for bad in [
            "",
            "example.com",
            "ftp://example.com",
            "https://",
            "https://example.com/path",
            "https://example.com?q",
            "https://user@example.com",
            "https://example.com:0",
            "https://example.com:99999",
            "https://example.com:",
            "https://exa mple.com",
            "null",
        ] {
            assert_eq!(origin(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_form_lists_sites_once_and_names_the_bad_ones() {
        let raw = vec![
            "https://a.example".to_owned(),
            "HTTPS://A.EXAMPLE/".to_owned(),
            "a.example".to_owned(),
        ];
        let e = parse_origins("allowed_origins", &raw).unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].field, "allowed_origins[2]");
        assert_eq!(e.0[0].code, "invalid_origin");
        let ok = parse_origins("allowed_origins", &raw[..2]).unwrap();
        assert_eq!(ok, ["https://a.example"]);
        let many: Vec<String> = (0..=ORIGINS_MAX)
            .map(|i| format!("https://s{i}.example"))
            .collect();
        assert_eq!(
            parse_origins("allowed_origins", &many).unwrap_err().0[0].code,
            "too_many"
        );
    }

    #[test]
    fn a_form_without_sites_takes_any_and_one_with_sites_only_those() {
        assert!(origin_allowed(&[], "https://anyone.example"));
        assert!(origin_allowed(&[], "null"));
        let allowed = vec!["https://www.example.com".to_owned()];
        assert!(origin_allowed(&allowed, "https://www.example.com"));
        assert!(!origin_allowed(&allowed, "http://www.example.com"));
        assert!(!origin_allowed(
            &allowed,
            "https://www.example.com.evil.example"
        ));
        assert!(!origin_allowed(&allowed, "https://example.com"));
        assert!(!origin_allowed(&allowed, "null"));
    }

    proptest! {
        #[test]
        fn a_normalised_origin_normalises_to_itself(
            https in any::<bool>(),
            host in "[a-z0-9]{1,10}(\\.[a-z0-9]{1,6}){0,2}",
            port in prop::option::of(1u32..65_536),
        ) {
            let scheme = if https { "https" } else { "http" };
            let raw = match port {
                Some(p) => format!("{scheme}://{host}:{p}"),
                None => format!("{scheme}://{host}"),
            };
            let o = origin(&raw.to_uppercase()).expect("a valid origin");
            prop_assert_eq!(origin(&o), Some(o.clone()));
            prop_assert!(origin_allowed(std::slice::from_ref(&o), &raw));
        }
    }
}
