//! The demo organisation (documented in the README): regions, teams, product
//! lines, a dealer, seven users and a few hundred customers. Loading it twice
//! changes nothing.

mod deals;

use crate::auth::password;
use crate::db::{self, DbConnection};
use crate::repo::{self, org::UnitKind, users::UserValues};
use deals::demo_deal;
use kehu_domain::contact::{Contact, RawContact};
use kehu_domain::customer::{Creator, Customer, RawCustomer};

pub const PASSWORD: &str = "kehu-demo";
pub const CUSTOMERS: usize = 300;

/// A small deterministic generator, so every demo database looks the same.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub(crate) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next() % xs.len() as u64) as usize]
    }

    /// [`Self::pick`] for lists of small values (`&'static str`, enums).
    pub(crate) fn pick_copy<T: Copy>(&mut self, xs: &[T]) -> T {
        *self.pick(xs)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub(crate) const CORE: &[&str] = &[
    "华联", "明达", "恒信", "新创", "东方", "金桥", "博远", "宏图", "安泰", "睿智", "鼎盛", "长青",
    "天成", "瑞丰", "汇通",
];
pub(crate) const TRADE: &[&str] = &[
    "科技",
    "贸易",
    "制造",
    "物流",
    "办公设备",
    "信息技术",
    "印刷",
    "医疗器械",
    "教育科技",
    "建材",
];
pub(crate) const SUFFIX: &[&str] = &["有限公司", "股份有限公司", "集团", "有限责任公司"];
pub(crate) const EN_CORE: &[&str] = &[
    "Acme",
    "Blue River",
    "Northwind",
    "Summit",
    "Harbor",
    "Evergreen",
    "Pioneer",
    "Golden Gate",
    "Lotus",
    "Orient",
];
pub(crate) const EN_TRADE: &[&str] = &[
    "Trading",
    "Technologies",
    "Logistics",
    "Office Solutions",
    "Manufacturing",
    "Printing",
];
pub(crate) const EN_SUFFIX: &[&str] = &["Co., Ltd.", "Ltd.", "Inc.", "Group"];
pub(crate) const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙",
];
pub(crate) const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞",
];
pub(crate) const EN_FIRST: &[&str] = &[
    "Alice", "Brian", "Chloe", "David", "Emma", "Frank", "Grace", "Henry",
];
pub(crate) const EN_LAST: &[&str] = &["Smith", "Chen", "Wong", "Brown", "Lee", "Taylor"];
pub(crate) const TITLES: &[&str] = &[
    "采购经理",
    "总经理",
    "IT 主管",
    "行政主管",
    "财务总监",
    "Purchasing Manager",
    "Office Manager",
];
pub(crate) const INDUSTRIES: &[&str] =
    &["零售", "制造", "教育", "医疗", "金融", "物流", "政府", "IT"];
pub(crate) const SOURCES: &[&str] = &["展会", "官网", "转介绍", "电话营销", "经销商", "Web form"];
pub(crate) const TAGS: &[&str] = &["重点", "大客户", "续约", "招标", "VIP候选"];
pub(crate) const STAGES: &[&str] = &[
    "prospect",
    "prospect",
    "interested",
    "interested",
    "customer",
    "customer",
    "vip",
    "churned",
];

fn unit(
    c: &mut DbConnection,
    kind: UnitKind,
    name: &str,
    parent: Option<&str>,
) -> Result<String, String> {
    let now = db::now();
    repo::org::insert(c, kind, &db::new_id(), name, parent, now)
        .map(|r| r.id)
        .map_err(|e| e.to_string())
}

struct DemoUser<'a> {
    email: &'a str,
    name: &'a str,
    role: &'a str,
    team: Option<&'a str>,
    regions: Vec<&'a str>,
    partner: Option<&'a str>,
}

pub fn load(c: &mut DbConnection) -> Result<(), String> {
    if repo::settings::get(c, "demo_loaded")
        .map_err(|e| e.to_string())?
        .is_some()
    {
        return Ok(());
    }
    if repo::users::id_by_email_key(c, "admin@example.com")
        .map_err(|e| e.to_string())?
        .is_some()
    {
        // a database that already has these users was set up by hand; leave it alone
        return Ok(());
    }
    let hash = password::hash(PASSWORD)?;
    crate::db::write_tx(c, |c| load_in(c, &hash).map_err(diesel_err))
        .map_err(|e: diesel::result::Error| e.to_string())?;
    tracing::info!("loaded the demo organisation");
    Ok(())
}

fn diesel_err(e: String) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(e.into())
}

/// A date `days` from today, `YYYY-MM-DD`.
fn soon(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

fn load_in(c: &mut DbConnection, hash: &str) -> Result<(), String> {
    let east = unit(c, UnitKind::Region, "华东", None)?;
    let shanghai = unit(c, UnitKind::Region, "上海", Some(&east))?;
    let jiangsu = unit(c, UnitKind::Region, "江苏", Some(&east))?;
    let zhejiang = unit(c, UnitKind::Region, "浙江", Some(&east))?;
    let south = unit(c, UnitKind::Region, "华南", None)?;
    let guangdong = unit(c, UnitKind::Region, "广东", Some(&south))?;
    let fujian = unit(c, UnitKind::Region, "福建", Some(&south))?;
    let north = unit(c, UnitKind::Region, "华北", None)?;
    let beijing = unit(c, UnitKind::Region, "北京", Some(&north))?;
    let tianjin = unit(c, UnitKind::Region, "天津", Some(&north))?;
    let team_east = unit(c, UnitKind::Team, "华东销售部", None)?;
    let team_south = unit(c, UnitKind::Team, "华南销售部", None)?;
    let pls = [
        unit(c, UnitKind::ProductLine, "打印机", None)?,
        unit(c, UnitKind::ProductLine, "复印机", None)?,
        unit(c, UnitKind::ProductLine, "电脑", None)?,
    ];
    let dealer = unit(c, UnitKind::Partner, "示例经销商", None)?;

    let people = [
        DemoUser {
            email: "admin@example.com",
            name: "系统管理员",
            role: "admin",
            team: None,
            regions: vec![],
            partner: None,
        },
        DemoUser {
            email: "manager.east@example.com",
            name: "王华东",
            role: "sales_manager",
            team: Some(&team_east),
            regions: vec![&east],
            partner: None,
        },
        DemoUser {
            email: "rep.east@example.com",
            name: "陈东",
            role: "sales_rep",
            team: Some(&team_east),
            regions: vec![&shanghai],
            partner: None,
        },
        DemoUser {
            email: "rep.south@example.com",
            name: "林南",
            role: "sales_rep",
            team: Some(&team_south),
            regions: vec![&guangdong],
            partner: None,
        },
        DemoUser {
            email: "service@example.com",
            name: "张客服",
            role: "service_agent",
            team: None,
            regions: vec![],
            partner: None,
        },
        DemoUser {
            email: "marketing@example.com",
            name: "李市场",
            role: "marketing",
            team: None,
            regions: vec![],
            partner: None,
        },
        DemoUser {
            email: "partner@example.com",
            name: "赵经销",
            role: "partner",
            team: None,
            regions: vec![],
            partner: Some(&dealer),
        },
    ];
    let mut ids = Vec::new();
    for p in &people {
        let v = UserValues {
            email: p.email.into(),
            email_key: p.email.into(),
            display_name: p.name.into(),
            is_active: true,
            team_id: p.team.map(Into::into),
            partner_id: p.partner.map(Into::into),
            locale: None,
            role_ids: vec![p.role.into()],
            region_ids: p.regions.iter().map(|r| r.to_string()).collect(),
            product_line_ids: vec![],
        };
        ids.push(
            repo::users::insert(c, &db::new_id(), &v, hash, db::now())
                .map_err(|e| e.to_string())?
                .row
                .id,
        );
    }
    let (manager, rep_east, rep_south, partner_user) = (&ids[1], &ids[2], &ids[3], &ids[6]);

    let east_regions = [&shanghai, &jiangsu, &zhejiang];
    let south_regions = [&guangdong, &fujian];
    let north_regions = [&beijing, &tianjin];
    // cities named in a customer's name belong to its region
    let cities: Vec<(&String, &[&str])> = vec![
        (&shanghai, &["上海"]),
        (&jiangsu, &["南京", "苏州", "无锡"]),
        (&zhejiang, &["杭州", "宁波"]),
        (&guangdong, &["广州", "深圳", "东莞"]),
        (&fujian, &["福州", "厦门"]),
        (&beijing, &["北京"]),
        (&tianjin, &["天津"]),
    ];
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    // deals draw from their own sequence, so the customers stay the same
    let mut deal_rng = Rng(0xdea1_5eed_0000_0007);
    for i in 0..CUSTOMERS {
        // owner and region go together: reps own customers in their regions,
        // the manager some across 华东, the dealer its own, the rest sit in the pool
        let (owner, team, region, partner): (
            Option<&String>,
            Option<&String>,
            &String,
            Option<&String>,
        ) = match i % 10 {
            0..=2 => (Some(rep_east), Some(&team_east), &shanghai, None),
            3 => (
                Some(manager),
                Some(&team_east),
                *rng.pick(&east_regions),
                None,
            ),
            4 | 5 => (Some(rep_south), Some(&team_south), &guangdong, None),
            6 => (
                Some(partner_user),
                None,
                *rng.pick(&south_regions),
                Some(&dealer),
            ),
            7 => (None, None, *rng.pick(&east_regions), None),
            8 => (None, None, *rng.pick(&south_regions), None),
            _ => (None, None, *rng.pick(&north_regions), None),
        };
        let english = rng.below(4) == 0;
        let person = rng.below(8) == 0;
        let city = rng.pick(
            cities
                .iter()
                .find(|(r, _)| *r == region)
                .map_or(&["上海"][..], |(_, c)| *c),
        );
        let name = match (english, person) {
            (true, true) => format!("{} {}", rng.pick(EN_FIRST), rng.pick(EN_LAST)),
            (false, true) => format!(
                "{}{}{}",
                rng.pick(SURNAMES),
                rng.pick(GIVEN),
                rng.pick(GIVEN)
            ),
            (true, false) => format!(
                "{} {} {}",
                rng.pick(EN_CORE),
                rng.pick(EN_TRADE),
                rng.pick(EN_SUFFIX)
            ),
            (false, false) => format!(
                "{city}{}{}{}",
                rng.pick(CORE),
                rng.pick(TRADE),
                rng.pick(SUFFIX)
            ),
        };
        let mut lines: Vec<String> = pls.iter().filter(|_| rng.below(3) == 0).cloned().collect();
        lines.sort();
        let mobile = format!(
            "+86 13{} {:04} {:04}",
            rng.below(10),
            rng.below(10_000),
            rng.below(10_000)
        );
        let domain = format!("c{i}.example.com");
        let raw = RawCustomer {
            name: Some(name),
            kind: Some(if person { "person" } else { "company" }.into()),
            industry: Some(Some(rng.pick(INDUSTRIES).to_string())),
            source: Some(Some(rng.pick(SOURCES).to_string())),
            region_id: Some(Some(region.clone())),
            product_line_ids: Some(lines),
            owner_id: Some(owner.cloned()),
            team_id: Some(team.cloned()),
            partner_id: Some(partner.cloned()),
            lifecycle_stage: Some(rng.pick(STAGES).to_string()),
            tags: Some(if rng.below(3) == 0 {
                vec![rng.pick(TAGS).to_string()]
            } else {
                vec![]
            }),
            phones: Some(vec![mobile]),
            emails: Some(vec![format!("info@{domain}")]),
            address: Some(None),
            notes: Some(None),
            // some renewals and maintenance visits soon, so reminders have something to say
            renewal_on: (i % 4 == 0).then(|| Some(soon((i * 7 % 60) as i64))),
            maintenance_on: (i % 6 == 1).then(|| Some(soon((i * 5 % 30) as i64))),
        };
        let creator = Creator {
            user_id: ids[0].clone(),
            ..Default::default()
        };
        let customer = Customer::create(raw, &creator).map_err(|e| e.to_string())?;
        let cid = db::new_id();
        let by = owner.unwrap_or(&ids[0]);
        repo::customers::insert(c, &cid, &customer, by, db::now()).map_err(|e| e.to_string())?;
        for k in 0..(1 + rng.below(3)) {
            let person = if english {
                format!("{} {}", rng.pick(EN_FIRST), rng.pick(EN_LAST))
            } else {
                format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
            };
            let contact = Contact::create(RawContact {
                name: Some(person),
                title: Some(Some(rng.pick(TITLES).to_string())),
                phones: Some(vec![format!(
                    "13{}{:08}",
                    rng.below(10),
                    rng.below(100_000_000)
                )]),
                emails: Some(vec![format!("contact{k}@{domain}")]),
                notes: None,
                birthday: (k == 0 && i % 3 == 0)
                    .then(|| Some(format!("--{}", &soon((i * 11 % 45) as i64)[5..]))),
                // some people asked not to be called: the UI must show it
                do_not_contact: (k == 1).then(|| vec!["call".to_owned()]),
                by: kehu_domain::contact::DncBy {
                    user_id: Some(by.clone()),
                    user_name: None,
                    api_key_id: None,
                    at: db::to_utc(db::now()).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                },
            })
            .map_err(|e| e.to_string())?;
            repo::contacts::insert(c, &db::new_id(), &cid, &contact, by, db::now())
                .map_err(|e| e.to_string())?;
        }
        if let Some(o) = owner {
            demo_activity(c, &mut rng, &cid, o)?;
            if i % 3 != 2 {
                demo_deal(c, &mut deal_rng, &cid, o, region, partner.cloned())?;
            }
        }
    }
    repo::settings::get_or_init(c, "demo_loaded", "1").map_err(|e| e.to_string())?;
    Ok(())
}

/// A rep's work on a customer, so that "my day", the timeline and the pool's
/// clock have something to show: a past visit or call (some with a
/// follow-up day), a call planned in the next days, or a task left overdue.
fn demo_activity(
    c: &mut DbConnection,
    rng: &mut Rng,
    cid: &str,
    owner: &str,
) -> Result<(), String> {
    use kehu_domain::activity::{Activity, MICROS, RawActivity};
    let now = repo::activities::micros(db::now());
    let hour = 3600 * MICROS;
    let (kind, subject, due, done, follow) = match rng.below(6) {
        0 => (
            "visit",
            "季度回访",
            None,
            Some(now - (24 + rng.below(20 * 24) as i64) * hour),
            rng.below(2) == 0,
        ),
        1 => (
            "call",
            "电话确认需求",
            Some(now + (1 + rng.below(72) as i64) * hour),
            None,
            false,
        ),
        2 => (
            "task",
            "寄送样品",
            Some(now - (2 + rng.below(60) as i64) * hour),
            None,
            false,
        ),
        3 => (
            "call",
            "报价跟进",
            None,
            Some(now - (1 + rng.below(72) as i64) * hour),
            true,
        ),
        _ => return Ok(()),
    };
    let follow_up = follow.then(|| {
        let day = kehu_domain::date::Date::of_unix(now / MICROS).add_days(rng.below(3) as i64 - 1);
        Some(day.to_string())
    });
    let v = Activity::create(
        RawActivity {
            kind: Some(kind.into()),
            subject: Some(Some(subject.into())),
            due_at: due.map(Some),
            done_at: done.map(Some),
            next_follow_up_on: follow_up,
            ..Default::default()
        },
        owner,
        now,
    )
    .map_err(|e| e.to_string())?;
    let by = repo::activities::Author {
        user_id: Some(owner),
        api_key_id: None,
    };
    repo::activities::insert(c, &db::new_id(), cid, &v, by, db::now()).map_err(|e| e.to_string())
}
