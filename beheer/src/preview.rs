//! "Voorbeeld": an item or an activity as a parent's phone shows it, in a frame as wide as a
//! phone (360 px), drawn with the parents' own card classes and texts (`bulletin-item`,
//! `activity-card`, `activity-facts` from `style/bulletins.css` and `style/activities.css`).
//!
//! The parents' card components live in the parents' app, which Beheer may not depend on; this
//! is a faithful copy of their markup until the cards move into `driehoek-web`.

use driehoek_core::rsvp::{deadline, is_open};
use driehoek_core::{Activity, BulletinItem};
use leptos::prelude::*;

use driehoek_web::clock::now_local;
use driehoek_web::dates;
use driehoek_web::i18n::Lang;
use driehoek_web::labels::{activity_kind_label, item_kind_label};

/// "3, 4 en 7", as the parents' app lists groepen.
fn groepen_list(groepen: &[u8], and: &str) -> String {
    let mut names: Vec<String> = groepen.iter().map(u8::to_string).collect();
    match names.pop() {
        None => String::new(),
        Some(last) if names.is_empty() => last,
        Some(last) => format!("{} {and} {last}", names.join(", ")),
    }
}

/// A button that opens and closes the preview, and the phone-wide frame around `card`.
fn framed(
    id: &'static str,
    card: impl Fn() -> AnyView + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let heading = format!("{id}-titel");
    view! {
        <div class="actions">
            <button type="button" class="button" aria-expanded=move || open.get().to_string()
                aria-controls=id on:click=move |_| open.update(|o| *o = !*o)>
                "Voorbeeld"
            </button>
        </div>
        <div id=id>
            <Show when=move || open.get()>
                <section class="beheer-preview" aria-labelledby=heading.clone()>
                    <h3 id=heading.clone()>"Voorbeeld: zo ziet een ouder het op de telefoon"</h3>
                    <div class="beheer-phone">{card.clone()}</div>
                </section>
            </Show>
        </div>
    }
}

/// The card of a maandinfo item, as the parents' Maandinfo shows a new one.
fn item_card(item: &BulletinItem) -> AnyView {
    let lang = Lang::Nl;
    let t = lang.strings();
    let title = match item.title.get("nl").trim() {
        "" => "(nog zonder titel)".to_owned(),
        title => title.to_owned(),
    };
    let when = item.when.as_ref().map(|w| dates::when(lang, w));
    let groepen = (!item.groepen.is_empty()).then(|| {
        t.bulletins_for_groepen
            .replace("{groepen}", &groepen_list(&item.groepen, t.bulletins_and))
    });
    view! {
        <article class="bulletin-item bulletin-item--unread">
            <p class="bulletin-item__meta">
                <span class="kind-badge"><span>{item_kind_label(t, item.kind)}</span></span>
                <span class="new-badge">{t.bulletins_new}</span>
            </p>
            <p class="bulletin-item__title beheer-phone__title">{title}</p>
            {when.map(|when| view! { <p class="bulletin-item__when">{when}</p> })}
            {groepen.map(|g| view! { <p class="bulletin-item__groepen">{g}</p> })}
            <p class="bulletin-item__text">{item.text.get("nl").to_owned()}</p>
        </article>
    }
    .into_any()
}

/// An activity as the parents' Activiteiten shows it: its card in the list, and what its own
/// page says about it.
fn activity_card(activity: &Activity) -> AnyView {
    let lang = Lang::Nl;
    let t = lang.strings();
    let title = match activity.title.get("nl").trim() {
        "" => "(nog zonder titel)".to_owned(),
        title => title.to_owned(),
    };
    let when = dates::date_time_range(lang, activity.start, activity.end);
    let who = if activity.groepen.is_empty() {
        t.activities_for_everyone.to_owned()
    } else {
        t.activities_for_groepen.replace(
            "{groepen}",
            &groepen_list(&activity.groepen, t.activities_and),
        )
    };
    let places = activity.capacity.map(|n| match n {
        1 => t.activities_places_one.to_owned(),
        n => t.activities_places.replace("{n}", &n.to_string()),
    });
    let at = deadline(activity);
    let until = t.activities_deadline.replace(
        "{date}",
        &format!(
            "{}, {}",
            dates::weekday_date(lang, at.date()),
            dates::time(at.time())
        ),
    );
    let cancelled = activity.cancelled;
    let answer = if cancelled {
        t.activities_cancelled_text.to_owned()
    } else if is_open(activity, now_local()) {
        until
    } else {
        t.activities_closed.to_owned()
    };
    view! {
        <article class="activity-card">
            <p class="activity-card__title beheer-phone__title">{title}</p>
            <p class="kind-badge"><span>{activity_kind_label(t, activity.kind)}</span></p>
            <p class="activity-card__when">{when.clone()}</p>
            {cancelled.then(|| view! { <p class="activity-card__cancelled">{t.activities_cancelled}</p> })}
        </article>
        <div class="activity-detail beheer-phone__detail">
            <dl class="activity-facts">
                <dt>{t.activities_when}</dt>
                <dd>{when}</dd>
                <dt>{t.activities_where}</dt>
                <dd>{activity.location.get("nl").to_owned()}</dd>
                <dt>{t.activities_for}</dt>
                <dd>{who}</dd>
                {places.map(|p| view! { <dt>{t.activities_places_label}</dt><dd>{p}</dd> })}
            </dl>
            <p class="activity-detail__text">{activity.text.get("nl").to_owned()}</p>
            <p class="rsvp__deadline">{answer}</p>
        </div>
    }
    .into_any()
}

/// The preview of the item `find` locates in the draft, drawn anew as the school types.
pub fn item_preview(
    item: impl Fn() -> Option<BulletinItem> + Send + Sync + 'static,
) -> impl IntoView {
    let item = Memo::new(move |_| item());
    framed("voorbeeld-bericht", move || {
        item.with(|i| i.as_ref().map(item_card))
            .unwrap_or_else(|| ().into_any())
    })
}

/// The preview of the activity `find` locates in the draft, drawn anew as the school types.
pub fn activity_preview(
    activity: impl Fn() -> Option<Activity> + Send + Sync + 'static,
) -> impl IntoView {
    let activity = Memo::new(move |_| activity());
    framed("voorbeeld-activiteit", move || {
        activity
            .with(|a| a.as_ref().map(activity_card))
            .unwrap_or_else(|| ().into_any())
    })
}

#[cfg(test)]
mod tests {
    use super::groepen_list;

    #[test]
    fn groepen_read_as_a_list() {
        assert_eq!(groepen_list(&[], "en"), "");
        assert_eq!(groepen_list(&[7], "en"), "7");
        assert_eq!(groepen_list(&[2, 3, 7], "en"), "2, 3 en 7");
    }
}
