//! Sales insight: the forecast with quotas, rep performance and the sales
//! settings.

fn main() {
    kehu_web_ui::start(kehu_web_ui::insight_pages, kehu_web_ui::sales_messages);
}
