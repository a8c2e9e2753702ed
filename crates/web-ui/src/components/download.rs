//! Handing what the app received or made to the browser as a file to save.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Hands CSV `text` to the browser as a file download.
pub fn save_file(text: &str, name: &str) {
    // the browser's decoder drops the server's byte-order mark; Excel needs it
    let text = if text.starts_with('\u{feff}') {
        text.to_owned()
    } else {
        format!("\u{feff}{text}")
    };
    let parts = web_sys::js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) {
        save_blob(&blob, name);
    }
}

/// Hands `bytes` (a workbook, say) to the browser as a file download.
pub fn save_bytes(bytes: &[u8], content_type: &str, name: &str) {
    let array = web_sys::js_sys::Uint8Array::from(bytes);
    let parts = web_sys::js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    if let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) {
        save_blob(&blob, name);
    }
}

fn save_blob(blob: &web_sys::Blob, name: &str) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    if let Some(a) = document()
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // revoked once the download has surely started
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
}
