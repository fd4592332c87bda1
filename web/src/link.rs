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
