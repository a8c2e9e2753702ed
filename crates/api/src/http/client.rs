//! The client a request comes from: the peer, or behind the reverse proxies
//! of `KEHU_TRUSTED_PROXIES` the address they forwarded
//! (`kehu_domain::net::client_address`). Per-client limits use it.

use crate::state::AppState;
use actix_web::http::header::HeaderMap;
use std::net::{IpAddr, SocketAddr};

pub fn address(state: &AppState, peer: Option<SocketAddr>, headers: &HeaderMap) -> Option<IpAddr> {
    let peer = peer?.ip();
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .collect();
    Some(kehu_domain::net::client_address(
        peer,
        &forwarded,
        &state.settings.trusted_proxies,
    ))
}
