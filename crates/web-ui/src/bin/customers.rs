//! The customer screens: list, customer page, new customer.

fn main() {
    kehu_web_ui::start(kehu_web_ui::customer_pages, kehu_web_ui::customer_messages);
}
