//! Administration: users, organisation, roles, API keys.

fn main() {
    kehu_web_ui::start(kehu_web_ui::admin_pages, kehu_web_ui::admin_messages);
}
