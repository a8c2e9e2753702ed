//! Leads: the list and queues, entering and converting a lead, web forms
//! and assignment rules.

fn main() {
    kehu_web_ui::start(kehu_web_ui::leads_pages, kehu_web_ui::leads_messages);
}
