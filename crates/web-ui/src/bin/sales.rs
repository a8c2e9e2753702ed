//! The sales pipeline: the board, the list of deals and a new deal.

fn main() {
    kehu_web_ui::start(kehu_web_ui::sales_pages, kehu_web_ui::sales_messages);
}
