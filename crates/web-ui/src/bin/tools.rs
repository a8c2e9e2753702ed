//! Tools that work on many records at once: merging duplicates.

fn main() {
    kehu_web_ui::start(kehu_web_ui::tool_pages, kehu_web_ui::admin_messages);
}
