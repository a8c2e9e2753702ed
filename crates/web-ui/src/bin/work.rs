//! A rep's work: my day, logging and planning activities, a customer's
//! timeline, notifications and their settings.

fn main() {
    kehu_web_ui::start(kehu_web_ui::work_pages, kehu_web_ui::work_messages);
}
