//! The bottom navigation: five destinations, each a real link with an icon and a label, and a
//! calm count of what is new on Afspraken, Maandinfo and Activiteiten (no push, no sound).

use driehoek_core::overview::{news_counts, NewsCounts, Seen};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::content::use_content;
use crate::records::{Bookings, Children, ContentCache, SeenNews};
use driehoek_web::clock::today;
use driehoek_web::components::icons::{self, Icon};
use driehoek_web::i18n::{use_locale, Strings};
use driehoek_web::state::{use_record, Persisted};

/// One destination of the navigation.
struct Destination {
    href: &'static str,
    icon: Icon,
    label: fn(&Strings) -> &'static str,
    /// Its count of new things, if it has one.
    news: fn(&NewsCounts) -> usize,
}

const DESTINATIONS: [Destination; 5] = [
    Destination {
        href: "/",
        icon: Icon::Today,
        label: |t| t.nav_today,
        news: |_| 0,
    },
    Destination {
        href: "/afspraken",
        icon: Icon::Agreements,
        label: |t| t.nav_agreements,
        news: |n| n.agreement,
    },
    Destination {
        href: "/maandinfo",
        icon: Icon::Bulletins,
        label: |t| t.nav_bulletins,
        news: |n| n.bulletins,
    },
    Destination {
        href: "/activiteiten",
        icon: Icon::Activities,
        label: |t| t.nav_activities,
        news: |n| n.activities,
    },
    Destination {
        href: "/instellingen",
        icon: Icon::Settings,
        label: |t| t.nav_settings,
        news: |_| 0,
    },
];

/// Whose news the content is: the school's name, or the demo school of this week (its dates move
/// every week, which is no news).
fn news_source(cache: &ContentCache, school: &str) -> String {
    match &cache.0 {
        Some(_) => format!("school:{school}"),
        None => format!("demo:{}", driehoek_core::overview::monday_of(today())),
    }
}

/// Marks what a screen shows as seen, while it is on screen (also when a sync brings news while
/// the parent looks at it). A failed save is shown by the storage banner; the count then simply
/// stays.
pub fn see_news(what: fn(&mut Seen, &driehoek_core::Content) -> bool) {
    let seen = use_record::<SeenNews>();
    let content = use_content();
    Effect::new(move |_| {
        content.with(|content| {
            let mut copy = seen.with_untracked(|s| s.0.clone());
            if what(&mut copy, content) {
                let _ = seen.update_shown(|s| s.0 = copy);
            }
        });
    });
}

/// Marks the reminders of the family's talks tomorrow as seen, while a screen that shows them
/// is on screen.
pub fn see_talks() {
    let seen = use_record::<SeenNews>();
    let bookings = use_record::<Bookings>();
    Effect::new(move |_| {
        let reminders = bookings.with(|b| crate::talks::reminders(b, today()));
        let mut copy = seen.with_untracked(|s| s.0.clone());
        if copy.see_talks(&reminders) {
            let _ = seen.update_shown(|s| s.0 = copy);
        }
    });
}

/// The counts of new things, with the first start (or a newly connected school) taken as seen.
fn use_news_counts(seen: Persisted<SeenNews>) -> Memo<NewsCounts> {
    let content = use_content();
    let cache = use_record::<ContentCache>();
    let children = use_record::<Children>();
    let settings = use_record::<crate::records::Settings>();
    let bookings = use_record::<Bookings>();
    Effect::new(move |_| {
        // Nothing is kept before the welcome is done: an erased phone stays empty.
        if !settings.with(|s| s.welcomed) {
            return;
        }
        content.with(|content| {
            let source = cache.with(|c| news_source(c, &content.school.name));
            if seen.with_untracked(|s| s.0.source != source) {
                let _ = seen.update_shown(|s| s.0 = Seen::baseline(content, &source));
            }
        });
    });
    Memo::new(move |_| {
        // Nothing is new before the first look was taken (the welcome, an erased phone).
        if seen.with(|s| s.0.source.is_empty()) {
            return NewsCounts::default();
        }
        let groepen: Vec<u8> = children.with(|c| c.0.iter().map(|c| c.groep).collect());
        let mut counts =
            content.with(|content| seen.with(|s| news_counts(content, &groepen, &s.0)));
        // A talk tomorrow counts on Activiteiten, where Gesprekken is reached.
        counts.activities += bookings.with(|b| {
            seen.with(|s| {
                crate::talks::reminders(b, today())
                    .iter()
                    .filter(|r| !s.0.talks.contains(*r))
                    .count()
            })
        });
        counts
    })
}

/// The navigation bar at the bottom of the screen, within reach of a thumb.
#[component]
pub fn BottomNav() -> impl IntoView {
    let locale = use_locale();
    let counts = use_news_counts(use_record::<SeenNews>());
    let items = DESTINATIONS
        .iter()
        .map(|dest| {
            let label = dest.label;
            let news = dest.news;
            let count = move || counts.with(news);
            view! {
                <li>
                    // `exact` so that Vandaag (`/`) is not marked current on every other screen.
                    <A href=dest.href exact=true>
                        {icons::icon(dest.icon)}
                        <span class="bottom-nav__label">{move || label(locale.t())}</span>
                        // The count is seen on the icon and heard after the name ("Maandinfo
                        // 2 nieuw"): the visible text stays part of the link's name.
                        <Show when=move || { count() > 0 }>
                            <span class="bottom-nav__badge">{count}</span>
                            <span class="visually-hidden">{locale.text(|t| t.nav_news)}</span>
                        </Show>
                    </A>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="bottom-nav" aria-label=move || locale.t().nav_label>
            <ul>{items}</ul>
        </nav>
    }
}
