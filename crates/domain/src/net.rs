//! Who is asking: the client's address when requests come through reverse
//! proxies. Limits kept per client (the public lead form's) would otherwise
//! count every visitor as the proxy.
//!
//! A proxy appends the address it received the request from to
//! `X-Forwarded-For`, so the list reads client, proxy 1, proxy 2, … from left
//! to right, and anything left of what our own proxies wrote may be made up
//! by the client. The rule: when the peer is one of our trusted proxies,
//! walk the list from the right, past our trusted proxies; the first address
//! that is not one of them is the client. An entry that is not an address
//! stops the walk: the chain cannot be followed further, and the last
//! trusted hop is taken as the client.

use core::net::IpAddr;
use core::str::FromStr;

/// An address range: an address and how many leading bits must match
/// (`10.0.0.0/8`, `fd00::/8`; a plain address is the range of one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl Net {
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr = IpAddr::from_str(a).ok()?.to_canonical();
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            None => max,
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u8>().ok().filter(|p| *p <= max)?
            }
            Some(_) => return None,
        };
        Some(Self { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                same_prefix(&n.octets(), &a.octets(), u32::from(self.prefix))
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                same_prefix(&n.octets(), &a.octets(), u32::from(self.prefix))
            }
            _ => false,
        }
    }
}

fn same_prefix(a: &[u8], b: &[u8], bits: u32) -> bool {
    let whole = (bits / 8) as usize;
    if a[..whole] != b[..whole] {
        return false;
    }
    let rest = bits % 8;
    rest == 0 || {
        let mask = 0xffu8 << (8 - rest);
        a[whole] & mask == b[whole] & mask
    }
}

/// The reverse proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Net>);

impl TrustedProxies {
    /// A comma-separated list of addresses and ranges; empty trusts none.
    /// The error names the first entry that is neither.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Net::parse(s).ok_or_else(|| s.to_owned()))
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(ip))
    }
}

/// An `X-Forwarded-For` entry as an address: `1.2.3.4`, `2001:db8::1`,
/// and the forms with a port some proxies write (`1.2.3.4:5678`,
/// `[2001:db8::1]:5678`).
fn entry(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    if let Ok(ip) = IpAddr::from_str(s) {
        return Some(ip.to_canonical());
    }
    let host = match s.strip_prefix('[') {
        Some(rest) => rest.split_once(']')?.0,
        None => s
            .rsplit_once(':')
            .map(|(h, _)| h)
            .filter(|h| !h.contains(':'))?,
    };
    IpAddr::from_str(host).ok().map(|ip| ip.to_canonical())
}

/// The client a request came from: `peer` (who connected to us), unless it
/// is a trusted proxy; then the right-most address of `forwarded_for` (the
/// `X-Forwarded-For` header values in the order received) that is not a
/// trusted proxy. See the module's rule.
pub fn client_address(peer: IpAddr, forwarded_for: &[&str], trusted: &TrustedProxies) -> IpAddr {
    let mut client = peer.to_canonical();
    if !trusted.trusts(client) {
        return client;
    }
    let entries = forwarded_for.iter().flat_map(|h| h.split(',')).rev();
    for e in entries {
        if e.trim().is_empty() {
            continue;
        }
        let Some(ip) = entry(e) else { break };
        client = ip;
        if !trusted.trusts(ip) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ip(s: &str) -> IpAddr {
        IpAddr::from_str(s).unwrap()
    }

    fn proxies(s: &str) -> TrustedProxies {
        TrustedProxies::parse(s).unwrap()
    }

    #[test]
    fn ranges_match_by_their_prefix() {
        let n = Net::parse("10.1.0.0/16").unwrap();
        assert!(n.contains(ip("10.1.200.3")));
        assert!(!n.contains(ip("10.2.0.1")));
        assert!(Net::parse("10.1.2.3").unwrap().contains(ip("10.1.2.3")));
        assert!(!Net::parse("10.1.2.3").unwrap().contains(ip("10.1.2.4")));
        assert!(Net::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert!(
            Net::parse("172.16.0.0/12")
                .unwrap()
                .contains(ip("172.31.255.1"))
        );
        assert!(
            !Net::parse("172.16.0.0/12")
                .unwrap()
                .contains(ip("172.32.0.1"))
        );
        let v6 = Net::parse("fd00::/8").unwrap();
        assert!(v6.contains(ip("fd12::1")));
        assert!(!v6.contains(ip("fe80::1")));
        assert!(!v6.contains(ip("10.0.0.1")), "families never match");
        // an IPv4 address as IPv6 sees it is that IPv4 address
        assert!(n.contains(ip("::ffff:10.1.0.9")));
        for bad in [
            "",
            "10.0.0.0/33",
            "10.0.0.0/",
            "10.0.0.0/x",
            "host",
            "::/129",
        ] {
            assert_eq!(Net::parse(bad), None, "{bad}");
        }
        assert_eq!(
            TrustedProxies::parse(" 10.0.0.1, fd00::/8 ,")
                .unwrap()
                .0
                .len(),
            2
        );
        assert_eq!(
            TrustedProxies::parse("10.0.0.1, nope"),
            Err("nope".to_owned())
        );
        assert!(TrustedProxies::parse("").unwrap().is_empty());
    }

    #[test]
    fn behind_trusted_proxies_the_client_is_the_first_untrusted_from_the_right() {
        let t = proxies("10.0.0.0/8");
        // no proxy: the header is whatever the client wrote, and ignored
        assert_eq!(
            client_address(ip("203.0.113.9"), &["1.1.1.1"], &t),
            ip("203.0.113.9")
        );
        // one proxy
        assert_eq!(
            client_address(ip("10.0.0.2"), &["198.51.100.7"], &t),
            ip("198.51.100.7")
        );
        // the client made up an entry before ours: ours, on the right, counts
        assert_eq!(
            client_address(ip("10.0.0.2"), &["6.6.6.6, 198.51.100.7, 10.0.0.3"], &t),
            ip("198.51.100.7")
        );
        // several header lines read as one list, in order
        assert_eq!(
            client_address(ip("10.0.0.2"), &["6.6.6.6", "198.51.100.7, 10.0.0.3"], &t),
            ip("198.51.100.7")
        );
        // ports and brackets some proxies write
        assert_eq!(
            client_address(ip("10.0.0.2"), &["198.51.100.7:4711"], &t),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), &["[2001:db8::7]:4711"], &t),
            ip("2001:db8::7")
        );
        // no header: the proxy itself
        assert_eq!(client_address(ip("10.0.0.2"), &[], &t), ip("10.0.0.2"));
        // only proxies: the left-most of them
        assert_eq!(
            client_address(ip("10.0.0.2"), &["10.9.9.9, 10.0.0.3"], &t),
            ip("10.9.9.9")
        );
        // garbage stops the walk at the last trusted hop
        assert_eq!(
            client_address(ip("10.0.0.2"), &["198.51.100.7, unknown, 10.0.0.3"], &t),
            ip("10.0.0.3")
        );
        // nothing trusted: always the peer
        assert_eq!(
            client_address(
                ip("10.0.0.2"),
                &["198.51.100.7"],
                &TrustedProxies::default()
            ),
            ip("10.0.0.2")
        );
    }

    fn v4() -> impl Strategy<Value = IpAddr> {
        any::<[u8; 4]>().prop_map(IpAddr::from)
    }

    /// Any address, or one of the proxies' range half of the time.
    fn addr() -> impl Strategy<Value = IpAddr> {
        prop_oneof![
            v4(),
            any::<[u8; 3]>().prop_map(|o| IpAddr::from([10, o[0], o[1], o[2]])),
        ]
    }

    proptest! {
        #[test]
        fn an_untrusted_peer_is_the_client_whatever_it_writes(
            peer in v4(),
            header in prop::collection::vec(addr(), 0..5),
        ) {
            let t = proxies("10.0.0.0/8");
            prop_assume!(!t.trusts(peer));
            let h: Vec<String> = header.iter().map(|i| i.to_string()).collect();
            let refs: Vec<&str> = h.iter().map(String::as_str).collect();
            prop_assert_eq!(client_address(peer, &refs, &t), peer);
        }

        #[test]
        fn nothing_the_client_writes_left_of_itself_changes_the_answer(
            client in v4(),
            spoofed in prop::collection::vec(v4(), 0..4),
            hops in prop::collection::vec(0u8..=255, 0..4),
        ) {
            let t = proxies("10.0.0.0/8");
            prop_assume!(!t.trusts(client));
            let mut list: Vec<String> = spoofed.iter().map(|i| i.to_string()).collect();
            list.push(client.to_string());
            list.extend(hops.iter().map(|h| format!("10.0.{h}.1")));
            let header = list.join(", ");
            prop_assert_eq!(client_address(ip("10.0.0.1"), &[&header], &t), client);
        }

        #[test]
        fn the_client_is_the_right_most_untrusted_address(
            peer in addr(),
            header in prop::collection::vec(addr(), 0..5),
        ) {
            let t = proxies("10.0.0.0/8, 192.168.0.0/16");
            let h: Vec<String> = header.iter().map(|i| i.to_string()).collect();
            let joined = h.join(",");
            let got = client_address(peer, &[&joined], &t);
            if !t.trusts(peer) {
                prop_assert_eq!(got, peer);
            } else {
                match header.iter().rposition(|i| !t.trusts(*i)) {
                    Some(p) => prop_assert_eq!(got, header[p]),
                    // only proxies: the left-most of them, or the peer
                    None => prop_assert_eq!(got, header.first().copied().unwrap_or(peer)),
                }
            }
        }
    }
}
