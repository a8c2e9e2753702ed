//! The sales pipeline: the board, deals, the forecast, rep performance and
//! the sales settings.

fn main() {
    kehu_web_ui::start(kehu_web_ui::sales_pages, kehu_web_ui::sales_messages);
}
