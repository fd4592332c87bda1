//! Small pieces of text as a parent reads and writes them.

/// "3, 4 en 5": groepen as a parent reads them.
pub fn groepen_list(groepen: &[u8], and: &str) -> String {
    let mut names: Vec<String> = groepen.iter().map(u8::to_string).collect();
    match names.pop() {
        None => String::new(),
        Some(last) if names.is_empty() => last,
        Some(last) => format!("{} {and} {last}", names.join(", ")),
    }
}

/// Splits "Sam, Noor" into names.
pub fn parse_names(text: &str) -> Vec<String> {
    text.split([',', ';'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| n.chars().take(60).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groepen_read_as_a_list() {
        assert_eq!(groepen_list(&[], "en"), "");
        assert_eq!(groepen_list(&[3], "en"), "3");
        assert_eq!(groepen_list(&[3, 4, 5], "en"), "3, 4 en 5");
    }
}
