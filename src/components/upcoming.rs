//! A line of what is coming (on Vandaag and in the agenda of Maandinfo): where it leads, and
//! its day as a parent says it ("Vandaag", "Morgen", "vrijdag 27 november").

use chrono::{Duration, NaiveDate};
use driehoek_core::overview::Upcoming;
use driehoek_web::dates;
use driehoek_web::i18n::Lang;

/// The screen a line leads to.
pub fn upcoming_href(what: &Upcoming) -> String {
    match what {
        Upcoming::Activity(id) => format!("/activiteiten/{id}"),
        Upcoming::Item(id) => format!("/maandinfo/{id}"),
    }
}

/// "Vandaag", "Morgen", or the weekday and date.
pub fn day_label(lang: Lang, today: NaiveDate, date: NaiveDate) -> String {
    let t = lang.strings();
    if date == today {
        t.today_label.to_owned()
    } else if date == today + Duration::days(1) {
        t.tomorrow_label.to_owned()
    } else {
        dates::weekday_date(lang, date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_line_leads_to_its_own_screen() {
        assert_eq!(
            upcoming_href(&Upcoming::Activity("a-04".into())),
            "/activiteiten/a-04"
        );
        assert_eq!(
            upcoming_href(&Upcoming::Item("mi-1".into())),
            "/maandinfo/mi-1"
        );
    }
}
