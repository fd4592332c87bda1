//! The link a school gives its parents, and which server addresses the apps may talk to.

/// The link a school gives its parents: `https://server/?school=<id>&code=<access code>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JoinLink {
    /// The server's address without a trailing slash: `https://server` (or with a path).
    pub base: String,
    /// The school's id.
    pub school: String,
    /// The parents' access code.
    pub code: String,
}

impl JoinLink {
    /// Reads a link as the parent pasted it; `None` when it is not a school's link.
    pub fn parse(text: &str) -> Option<JoinLink> {
        let text = text.trim();
        let (address, query) = text.split_once('?')?;
        let query = query.split('#').next().unwrap_or_default();
        let link = Self::from_query(address, query)?;
        is_valid_sync_url(&link.base).then_some(link)
    }

    /// The link from the server's address and a query string (`school=…&code=…`).
    pub fn from_query(base: &str, query: &str) -> Option<JoinLink> {
        let (mut school, mut code) = (None, None);
        for pair in query.trim_start_matches('?').split('&') {
            match pair.split_once('=') {
                Some(("school", value)) => school = Some(value),
                Some(("code", value)) => code = Some(value),
                _ => {}
            }
        }
        let (school, code) = (school?, code?);
        let code_ok = (8..=200).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !driehoek_core::validate::is_valid_id(school) || !code_ok {
            return None;
        }
        Some(JoinLink {
            base: base.trim_end_matches('/').to_owned(),
            school: school.to_owned(),
            code: code.to_owned(),
        })
    }

    /// The link as the parent would share it again.
    pub fn to_link(&self) -> String {
        format!("{}/?school={}&code={}", self.base, self.school, self.code)
    }

    pub fn api(&self, rest: &str) -> String {
        format!("{}/api/v1/schools/{}/{rest}", self.base, self.school)
    }
}

/// The link that joins a second phone to a family: the school's link, the family's id and
/// secret, and (to show before joining) the school's and the parents' names. Everything sits in
/// the address's fragment (`https://server/#koppel&school=…`), which a browser never sends to a
/// server: the secret stays out of request lines and server logs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FamilyLink {
    pub school: JoinLink,
    pub family_id: String,
    pub secret: String,
    /// The school's name, if the phone that made the link knew it.
    pub school_name: String,
    /// The parents' names, as entered on the phone that made the link.
    pub parents: String,
}

impl FamilyLink {
    /// The link to share with the other parent.
    pub fn to_link(&self) -> String {
        let mut link = format!(
            "{}/#koppel&school={}&code={}&gezin={}&geheim={}",
            self.school.base, self.school.school, self.school.code, self.family_id, self.secret
        );
        if !self.school_name.is_empty() {
            link.push_str("&naam=");
            link.push_str(&encode(&self.school_name));
        }
        if !self.parents.is_empty() {
            link.push_str("&ouders=");
            link.push_str(&encode(&self.parents));
        }
        link
    }

    /// Reads a family link (the whole address, or `base` and the fragment after `#`); `None`
    /// when it is not one.
    pub fn parse(text: &str) -> Option<FamilyLink> {
        let (address, fragment) = text.trim().split_once('#')?;
        let base = address.split('?').next().unwrap_or_default();
        Self::from_fragment(base, fragment)
    }

    /// The link from the server's address and the fragment (`koppel&school=…`, with or without
    /// the `#`).
    pub fn from_fragment(base: &str, fragment: &str) -> Option<FamilyLink> {
        let mut pairs = fragment.trim_start_matches('#').split('&');
        if pairs.next() != Some("koppel") {
            return None;
        }
        let (mut school, mut code, mut family, mut secret) = (None, None, None, None);
        let (mut school_name, mut parents) = (String::new(), String::new());
        for pair in pairs {
            match pair.split_once('=') {
                Some(("school", v)) => school = Some(v),
                Some(("code", v)) => code = Some(v),
                Some(("gezin", v)) => family = Some(v),
                Some(("geheim", v)) => secret = Some(v),
                Some(("naam", v)) => school_name = decode(v).unwrap_or_default(),
                Some(("ouders", v)) => parents = decode(v).unwrap_or_default(),
                _ => {}
            }
        }
        let school = JoinLink::from_query(base, &format!("school={}&code={}", school?, code?))?;
        if !is_valid_sync_url(&school.base) {
            return None;
        }
        let (family, secret) = (family?, secret?);
        let secret_ok = (16..=200).contains(&secret.len())
            && secret
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !driehoek_core::validate::is_valid_id(family) || !secret_ok {
            return None;
        }
        // Only readable names are shown; anything else is left out.
        let readable = |text: String| {
            let text: String = text.chars().take(200).collect();
            if driehoek_core::validate::free_text(&text, false).is_ok() {
                text
            } else {
                String::new()
            }
        };
        Some(FamilyLink {
            school,
            family_id: family.to_owned(),
            secret: secret.to_owned(),
            school_name: readable(school_name),
            parents: readable(parents),
        })
    }
}

/// Percent-encodes everything but letters, digits and `-_.~`.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Undoes [`encode`]; `None` for a broken escape or text that is not UTF-8.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Whether `address` can be a school's sync address: `https://` with a host, or `http://` on this
/// machine (a school's test server). Anything else would send a family's data in the clear.
pub fn is_valid_sync_url(address: &str) -> bool {
    let host_of = |rest: &str| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        host.split(':').next().unwrap_or_default().to_owned()
    };
    if address.len() > 300 || address.chars().any(char::is_whitespace) {
        return false;
    }
    if let Some(rest) = address.strip_prefix("https://") {
        let host = host_of(rest);
        return !host.is_empty() && host.contains('.') || host == "localhost";
    }
    if let Some(rest) = address.strip_prefix("http://") {
        return matches!(host_of(rest).as_str(), "localhost" | "127.0.0.1");
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_school_address_must_be_https_or_this_machine() {
        assert!(is_valid_sync_url("https://driehoek.wilgenhoek.example.nl"));
        assert!(is_valid_sync_url("https://school.example.nl:8443/pad"));
        assert!(is_valid_sync_url("http://127.0.0.1:8080"));
        assert!(is_valid_sync_url("http://localhost:8080/"));
        assert!(
            !is_valid_sync_url("http://school.example.nl"),
            "no data in the clear"
        );
        assert!(!is_valid_sync_url("https://"), "a host is needed");
        assert!(!is_valid_sync_url("javascript:alert(1)"));
        assert!(!is_valid_sync_url("school.example.nl"));
        assert!(!is_valid_sync_url("https://school example.nl"));
        assert!(
            !is_valid_sync_url("http://127.0.0.1@evil.example.nl"),
            "the host is evil"
        );
    }

    #[test]
    fn a_school_link_is_read_with_its_school_and_code() {
        let link = JoinLink::parse(
            " https://driehoek.school.example.nl/?school=wilg&code=0123456789abcdef ",
        )
        .unwrap();
        assert_eq!(link.base, "https://driehoek.school.example.nl");
        assert_eq!(link.school, "wilg");
        assert_eq!(link.code, "0123456789abcdef");
        assert_eq!(
            link.api("content"),
            "https://driehoek.school.example.nl/api/v1/schools/wilg/content"
        );
        assert_eq!(
            JoinLink::parse(&link.to_link()),
            Some(link),
            "the link survives being saved"
        );
    }

    #[test]
    fn a_family_link_carries_the_school_and_the_family_in_its_fragment_only() {
        let link = FamilyLink {
            school: JoinLink::parse("https://school.example.nl/?school=wilg&code=0123456789ab")
                .unwrap(),
            family_id: "gezin-00ff".into(),
            secret: "geheim-0123456789abcdef".into(),
            school_name: "De Wilgenhoek & co".into(),
            parents: "Sanne, Bram".into(),
        };
        let text = link.to_link();
        let (address, fragment) = text.split_once('#').unwrap();
        assert_eq!(
            address, "https://school.example.nl/",
            "nothing in the request line"
        );
        assert!(fragment.contains("geheim-0123456789abcdef"));
        assert_eq!(FamilyLink::parse(&text), Some(link.clone()), "{text}");
        assert_eq!(
            FamilyLink::from_fragment("https://school.example.nl", &format!("#{fragment}")),
            Some(link)
        );
        // Not a family link, a short secret, an address in the clear, an unreadable name.
        assert!(FamilyLink::parse("https://school.example.nl/#/activiteiten").is_none());
        assert!(FamilyLink::parse(&text.replace("geheim-0123456789abcdef", "kort")).is_none());
        assert!(FamilyLink::parse(&text.replace("https://school", "http://school")).is_none());
        let odd = FamilyLink::parse(&text.replace("naam=De", "naam=%E2%80%AEDe")).unwrap();
        assert_eq!(
            odd.school_name, "",
            "a name that turns the text around is left out"
        );
    }

    #[test]
    fn a_link_without_school_or_code_or_safe_address_is_refused() {
        assert!(JoinLink::parse("https://school.example.nl/").is_none());
        assert!(JoinLink::parse("https://school.example.nl/?school=wilg").is_none());
        assert!(
            JoinLink::parse("http://school.example.nl/?school=wilg&code=0123456789").is_none(),
            "a code must not travel in the clear"
        );
        assert!(
            JoinLink::parse("https://school.example.nl/?school=Wilg!&code=0123456789").is_none()
        );
        assert!(JoinLink::parse("https://school.example.nl/?school=wilg&code=<script>").is_none());
        assert!(JoinLink::parse("http://127.0.0.1:8080/?school=demo&code=0123456789").is_some());
    }
}
