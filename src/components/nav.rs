//! The bottom navigation: five destinations, each a real link with an icon and a label.

use leptos::prelude::*;
use leptos_router::components::A;

use driehoek_web::components::icons::{self, Icon};
use driehoek_web::i18n::{use_locale, Strings};

/// One destination of the navigation.
struct Destination {
    href: &'static str,
    icon: Icon,
    label: fn(&Strings) -> &'static str,
}

const DESTINATIONS: [Destination; 5] = [
    Destination {
        href: "/",
        icon: Icon::Today,
        label: |t| t.nav_today,
    },
    Destination {
        href: "/afspraken",
        icon: Icon::Agreements,
        label: |t| t.nav_agreements,
    },
    Destination {
        href: "/maandinfo",
        icon: Icon::Bulletins,
        label: |t| t.nav_bulletins,
    },
    Destination {
        href: "/activiteiten",
        icon: Icon::Activities,
        label: |t| t.nav_activities,
    },
    Destination {
        href: "/instellingen",
        icon: Icon::Settings,
        label: |t| t.nav_settings,
    },
];

/// The navigation bar at the bottom of the screen, within reach of a thumb.
#[component]
pub fn BottomNav() -> impl IntoView {
    let locale = use_locale();
    let items = DESTINATIONS
        .iter()
        .map(|dest| {
            let label = dest.label;
            view! {
                <li>
                    // `exact` so that Vandaag (`/`) is not marked current on every other screen.
                    <A href=dest.href exact=true>
                        {icons::icon(dest.icon)}
                        <span class="bottom-nav__label">{move || label(locale.t())}</span>
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
