//! One deal (商机): its checklist, stage history, competitors, win and loss.

fn main() {
    kehu_web_ui::start(kehu_web_ui::deal_pages, kehu_web_ui::sales_messages);
}
