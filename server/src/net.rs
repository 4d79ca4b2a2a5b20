//! Who the client is, for rate limits: the peer address, or, when the peer
//! is a trusted reverse proxy, the client its `Forwarded` / `X-Forwarded-For`
//! header names. IPv6 clients are keyed by their /64, which one host usually
//! holds whole.

use std::net::{IpAddr, Ipv6Addr};

use actix_web::HttpRequest;
use ipnet::IpNet;

/// Parses `server.trusted_proxies`: IP addresses or CIDR ranges.
pub fn parse_proxies(list: &[String]) -> Result<Vec<IpNet>, String> {
    list.iter()
        .map(|s| {
            let s = s.trim();
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    format!("server.trusted_proxies: \"{s}\" is not an IP address or CIDR range")
                })
        })
        .collect()
}

/// IPv4-mapped IPv6 addresses are their IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// The rate-limit key of an address: IPv4 as is, IPv6 by its /64 prefix.
pub fn rate_key(ip: IpAddr) -> IpAddr {
    match canonical(ip) {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(bits))
        }
        v4 => v4,
    }
}

fn trusted(proxies: &[IpNet], ip: IpAddr) -> bool {
    let ip = canonical(ip);
    proxies.iter().any(|n| n.contains(&ip))
}

/// One node of `Forwarded: for=…` (RFC 7239) or `X-Forwarded-For`:
/// `192.0.2.1`, `192.0.2.1:80`, `[2001:db8::1]:80`, `"[2001:db8::1]"`, `2001:db8::1`.
fn parse_node(raw: &str) -> Option<IpAddr> {
    let s = raw.trim().trim_matches('"');
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = s.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    let (host, _port) = s.rsplit_once(':')?;
    host.parse().ok()
}

/// The `for=` addresses of every `Forwarded` element, in order; None when
/// the header is absent. An element whose `for` is not an address (`unknown`,
/// obfuscated) gives None in its place.
fn forwarded_chain(req: &HttpRequest) -> Option<Vec<Option<IpAddr>>> {
    let mut chain = Vec::new();
    let mut seen = false;
    for v in req.headers().get_all("forwarded") {
        seen = true;
        let Ok(v) = v.to_str() else {
            chain.push(None);
            continue;
        };
        for element in v.split(',') {
            let node = element.split(';').find_map(|pair| {
                let (k, val) = pair.split_once('=')?;
                k.trim().eq_ignore_ascii_case("for").then_some(val)
            });
            chain.push(node.and_then(parse_node));
        }
    }
    seen.then_some(chain)
}

fn x_forwarded_for_chain(req: &HttpRequest) -> Option<Vec<Option<IpAddr>>> {
    let mut chain = Vec::new();
    let mut seen = false;
    for v in req.headers().get_all("x-forwarded-for") {
        seen = true;
        match v.to_str() {
            Ok(v) => chain.extend(v.split(',').map(parse_node)),
            Err(_) => chain.push(None),
        }
    }
    seen.then_some(chain)
}

/// The client's address: the peer, unless the peer is a trusted proxy, in
/// which case the forwarding chain is read from the right (nearest hop)
/// and the first address that is not itself a trusted proxy is the client.
/// `Forwarded` wins over `X-Forwarded-For` when both are present.
pub fn client_addr(peer: IpAddr, req: &HttpRequest, proxies: &[IpNet]) -> IpAddr {
    if !trusted(proxies, peer) {
        return peer;
    }
    let Some(chain) = forwarded_chain(req).or_else(|| x_forwarded_for_chain(req)) else {
        return peer;
    };
    let mut client = peer;
    for hop in chain.into_iter().rev() {
        match hop {
            Some(ip) => {
                client = ip;
                if !trusted(proxies, ip) {
                    break;
                }
            }
            // A hop that hides its address: the last address seen stands.
            None => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ipv6_is_keyed_by_its_64_and_ipv4_as_is() {
        assert_eq!(
            rate_key(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")),
            ip("2001:db8:1:2::")
        );
        assert_eq!(
            rate_key(ip("2001:db8:1:2::1")),
            rate_key(ip("2001:db8:1:2:ffff::9"))
        );
        assert_ne!(
            rate_key(ip("2001:db8:1:2::1")),
            rate_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(rate_key(ip("192.0.2.7")), ip("192.0.2.7"));
        assert_eq!(rate_key(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
    }

    #[test]
    fn proxies_parse_addresses_and_ranges() {
        let p =
            parse_proxies(&["127.0.0.1".into(), "10.0.0.0/8".into(), "fd00::/8".into()]).unwrap();
        assert!(trusted(&p, ip("10.1.2.3")));
        assert!(trusted(&p, ip("::ffff:127.0.0.1")));
        assert!(trusted(&p, ip("fd12::1")));
        assert!(!trusted(&p, ip("192.0.2.1")));
        assert!(parse_proxies(&["nope".into()]).is_err());
    }

    #[test]
    fn forwarded_headers_count_only_from_trusted_proxies() {
        let proxies = parse_proxies(&["10.0.0.0/8".into()]).unwrap();
        let req = TestRequest::default()
            .insert_header(("X-Forwarded-For", "198.51.100.9, 203.0.113.5, 10.0.0.2"))
            .to_http_request();
        // From a trusted proxy: the nearest untrusted hop.
        assert_eq!(
            client_addr(ip("10.0.0.1"), &req, &proxies),
            ip("203.0.113.5")
        );
        // From anyone else: the header is ignored.
        assert_eq!(
            client_addr(ip("192.0.2.1"), &req, &proxies),
            ip("192.0.2.1")
        );
        let req = TestRequest::default()
            .insert_header((
                "Forwarded",
                "for=192.0.2.60;proto=http, for=\"[2001:db8::7]:4711\"",
            ))
            .insert_header(("X-Forwarded-For", "198.51.100.9"))
            .to_http_request();
        assert_eq!(
            client_addr(ip("10.0.0.1"), &req, &proxies),
            ip("2001:db8::7")
        );
        let req = TestRequest::default()
            .insert_header(("Forwarded", "for=unknown"))
            .to_http_request();
        assert_eq!(client_addr(ip("10.0.0.1"), &req, &proxies), ip("10.0.0.1"));
    }
}
