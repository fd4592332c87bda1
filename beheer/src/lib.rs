//! Beheer (`/beheer`): the school's own screens, in Dutch. The school logs in with the admin token
//! its server printed, writes a draft that stays on this device until it is published, publishes
//! it in one request (`If-Match`, so that nobody overwrites a colleague unseen), and follows who
//! comes to what and who read the agreement.

pub mod absence;
pub mod api;
pub mod app;
pub mod download;
pub mod draft;
pub mod editors;
pub mod fields;
pub mod follow;
pub mod planning;
pub mod preview;
pub mod talks;

use driehoek_core::{Content, FieldError};
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::{use_location, use_query_map};

use self::draft::{
    blank, changes, describe, pane_of, place_new_items, prepare, rebase, BeheerLogin, BeheerRecord,
    Draft, Login, Pane, ParentsLink,
};
use self::editors::{href, AgreementChanges};
use self::fields::{use_editor, Editor};
use driehoek_web::clock::today;
use driehoek_web::link::{is_valid_sync_url, JoinLink};
use driehoek_web::state::{use_record, use_storage, Persisted};

/// The address of the follow-up screen ("Aanmeldingen").
const FOLLOW: &str = "/beheer/aanmeldingen";
/// The address of "Afwezig vandaag".
const ABSENT: &str = "/beheer/afwezig";
/// The address of the planning of the talks ("Gesprekken").
const PLANNING: &str = "/beheer/planning";

/// Where a login kept for this tab only is held.
const SESSION_KEY: &str = "driehoek.beheer.sessie";

fn session_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

fn session_login() -> Option<Login> {
    let raw = session_storage()?.get_item(SESSION_KEY).ok()??;
    serde_json::from_str(&raw).ok()
}

fn set_session_login(login: Option<&Login>) {
    if let Some(storage) = session_storage() {
        let _ = match login.and_then(|l| serde_json::to_string(l).ok()) {
            Some(json) => storage.set_item(SESSION_KEY, &json),
            None => storage.remove_item(SESSION_KEY),
        };
    }
}

/// The Beheer screens.
#[component]
pub fn Beheer() -> impl IntoView {
    let remembered = use_record::<BeheerLogin>();
    let login = RwSignal::new(session_login().or(remembered.with_untracked(|r| r.login.clone())));
    let logout = Callback::new(move |()| {
        set_session_login(None);
        // A failed save is told by the storage banner; the login is gone from this tab anyway.
        let _ = remembered.replace(BeheerLogin { login: None });
        login.set(None);
    });
    view! {
        <div class="beheer" lang="nl">
            {move || match login.get() {
                None => view! { <LoginForm on_login=Callback::new(move |l| login.set(Some(l)))/> }.into_any(),
                Some(l) => view! { <Workspace login=l logout=logout/> }.into_any(),
            }}
        </div>
    }
}

/// The login: the server's address, the school's code and the admin token.
#[component]
fn LoginForm(on_login: Callback<Login>) -> impl IntoView {
    let remembered = use_record::<BeheerLogin>();
    let query = use_query_map();
    // The server the parent's app is connected to, else the server this page came from.
    let linked = use_storage()
        .load::<ParentsLink>()
        .sync_url
        .as_deref()
        .and_then(JoinLink::parse);
    let origin = window().location().origin().unwrap_or_default();
    let base = RwSignal::new(linked.as_ref().map_or(origin, |l| l.base.clone()));
    let school = RwSignal::new(
        query
            .with_untracked(|q| q.get("school"))
            .or_else(|| linked.map(|l| l.school))
            .unwrap_or_default(),
    );
    let token = RwSignal::new(String::new());
    let remember = RwSignal::new(false);
    // A problem found before anything is sent; the server's answer comes from the action.
    let (problem, set_problem) = signal(String::new());
    // The check against the server; on success the login is kept and the screens open.
    let check = Action::new_local(move |login: &Login| {
        let login = login.clone();
        async move {
            api::check_login(&login).await?;
            if remember.get_untracked() {
                // A failed save is told by the storage banner; the login works for this tab.
                let _ = remembered.replace(BeheerLogin {
                    login: Some(login.clone()),
                });
            } else {
                set_session_login(Some(&login));
            }
            on_login.run(login);
            Ok::<(), String>(())
        }
    });
    let busy = check.pending();
    let error = move || {
        let problem = problem.get();
        if !problem.is_empty() {
            return problem;
        }
        // While a new check runs, the last one's answer no longer applies.
        if busy.get() {
            return String::new();
        }
        check
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).cloned())
            .unwrap_or_default()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let login = Login {
            base: base.get_untracked().trim().trim_end_matches('/').to_owned(),
            school: school.get_untracked().trim().to_owned(),
            token: token.get_untracked().trim().to_owned(),
        };
        if !is_valid_sync_url(&login.base) {
            set_problem.set(
                "Dit adres kan de app niet gebruiken: het begint met https:// (of http:// op deze computer)."
                    .into(),
            );
            return;
        }
        if login.school.is_empty() || login.token.is_empty() {
            set_problem.set("Vul de schoolcode en de beheercode in.".into());
            return;
        }
        set_problem.set(String::new());
        check.dispatch(login);
    };
    let field =
        |id: &'static str, label: &'static str, kind: &'static str, value: RwSignal<String>| {
            view! {
                <div class="field">
                    <label for=id>{label}</label>
                    <input id=id type=kind prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))
                        autocomplete="off" aria-describedby="login-fout"/>
                </div>
            }
        };
    view! {
        <h1>"Beheer"</h1>
        <p class="intro">
            "Hier schrijft de school de maandinfo, de activiteiten, de thema's en de afspraken, en
            ziet u wie er komt. Log in met de beheercode van uw server."
        </p>
        <form class="card" on:submit=submit>
            {field("login-adres", "Adres van de server", "url", base)}
            {field("login-school", "Schoolcode", "text", school)}
            {field("login-code", "Beheercode", "password", token)}
            <label class="check">
                <input type="checkbox" prop:checked=move || remember.get()
                    on:change=move |ev| remember.set(event_target_checked(&ev))/>
                <span>"Onthoud op dit apparaat"</span>
            </label>
            <p class="field__hint">
                "Zonder vinkje vergeet de app de beheercode als u dit tabblad sluit. Vink het
                alleen aan op een apparaat dat alleen u gebruikt."
            </p>
            <p class="field__error" id="login-fout" role="alert">{error}</p>
            <div class="actions">
                <button type="submit" class="button button--primary" disabled=move || busy.get()>
                    {move || if busy.get() { "Bezig met inloggen…" } else { "Inloggen" }}
                </button>
            </div>
        </form>
    }
}

/// Saves the draft on this device a moment after the last change (one save per pause in typing,
/// not per letter), and at once when the page goes away.
fn keep_draft(record: Persisted<BeheerRecord>, login: Login, editor: Editor) {
    let pending = StoredValue::new(0u32);
    let save = StoredValue::new(move || {
        let draft = Draft {
            base: login.base.clone(),
            school: login.school.clone(),
            etag: editor.etag.get_untracked(),
            published: editor.published.get_untracked(),
            content: editor.draft.get_untracked(),
        };
        // A failed save is told by the storage banner; the draft stays in the editor.
        let _ = record.replace(BeheerRecord { draft: Some(draft) });
    });
    Effect::new(move |first: Option<()>| {
        editor.draft.track();
        editor.published.track();
        editor.etag.track();
        if first.is_none() {
            return;
        }
        pending.update_value(|g| *g += 1);
        let mine = pending.get_value();
        set_timeout(
            move || {
                if pending.get_value() == mine {
                    pending.set_value(0);
                    save.with_value(|save| save());
                }
            },
            std::time::Duration::from_millis(300),
        );
    });
    let flush = window_event_listener(leptos::ev::pagehide, move |_| {
        if pending.get_value() != 0 {
            pending.set_value(0);
            save.with_value(|save| save());
        }
    });
    on_cleanup(move || flush.remove());
}

/// Everything after the login.
#[component]
fn Workspace(login: Login, logout: Callback<()>) -> impl IntoView {
    let record = use_record::<BeheerRecord>();
    let editor = RwSignal::new(None::<Editor>);
    let kept = record
        .with_untracked(|r| r.draft.clone())
        .filter(|d| d.base == login.base && d.school == login.school);

    // The editor's signals belong to this screen, also when they are made after a request.
    let owner = Owner::current().unwrap_or_default();
    let start = {
        let login = login.clone();
        move |draft: Draft| {
            owner.with(|| {
                let e = Editor::new(draft.content, draft.published, draft.etag);
                keep_draft(record, login.clone(), e);
                editor.set(Some(e));
            })
        }
    };
    // A draft with changes is the school's work: it is opened as it was, even offline. Without
    // changes, the newest published version is fetched (again on "Opnieuw proberen").
    let kept = kept.filter(|d| !changes(d.published.as_ref(), &d.content).is_empty());
    let source = {
        let login = login.clone();
        LocalResource::new(move || {
            let (login, kept) = (login.clone(), kept.clone());
            async move {
                if let Some(draft) = kept {
                    return Ok(draft);
                }
                let (published, etag) = api::published(&login)
                    .await?
                    .map_or((None, None), |(c, e)| (Some(c), e));
                let content = published
                    .clone()
                    .unwrap_or_else(|| blank(&login.school, today()));
                Ok::<_, String>(Draft {
                    base: login.base.clone(),
                    school: login.school.clone(),
                    etag,
                    published,
                    content,
                })
            }
        })
    };
    // The editor is made once, from the first draft that arrives; later the editor holds it.
    Effect::new(move |_| {
        if let Some(Ok(draft)) = source.get() {
            if editor.with_untracked(Option::is_none) {
                start(draft);
            }
        }
    });
    let problem = Signal::derive(move || source.get().and_then(|r| r.err()).unwrap_or_default());

    // The screens below (nested routes) find the login and the draft here.
    provide_context(login.clone());
    provide_context(Drafting {
        editor: editor.read_only(),
        problem,
        retry: Callback::new(move |()| source.refetch()),
    });
    let location = use_location();
    // A memo, so that moving between the editor's screens does not redraw the frame around them.
    let following = Memo::new(move |_| {
        location
            .pathname
            .with(|p| p.trim_end_matches('/') == FOLLOW)
    });
    let absent = Memo::new(move |_| {
        location
            .pathname
            .with(|p| p.trim_end_matches('/') == ABSENT)
    });
    let planning = Memo::new(move |_| {
        location
            .pathname
            .with(|p| p.trim_end_matches('/') == PLANNING)
    });
    let writing = move || !following.get() && !absent.get() && !planning.get();
    // A memo: typing elsewhere in the draft does not redraw the school's name.
    let school_name = Memo::new(move |_| {
        editor
            .get()
            .map(|e| e.draft.with(|c| c.school.name.clone()))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| login.school.clone())
    });
    // One outlet, always: the router alone decides which screen shows. The follow-up screens
    // need no draft; the writing screens sit below `Write`, which waits for it.
    view! {
        <div class="beheer-head">
            <h1>"Beheer"</h1>
            <button type="button" class="button" on:click=move |_| logout.run(())>"Uitloggen"</button>
        </div>
        <p class="intro">{school_name}</p>
        // Plain links (the router still handles them): the router's own would mark "Schrijven"
        // as current on every screen below `/beheer`, "Aanmeldingen" included.
        <nav class="beheer-tabs" aria-label="Beheer">
            <a href="/beheer" aria-current=move || writing().then_some("page")>"Schrijven"</a>
            <a href=FOLLOW aria-current=move || following.get().then_some("page")>"Aanmeldingen"</a>
            <a href=PLANNING aria-current=move || planning.get().then_some("page")>"Gesprekken"</a>
            <a href=ABSENT aria-current=move || absent.get().then_some("page")>"Afwezig vandaag"</a>
        </nav>
        <Outlet/>
    }
}

/// The draft as the Workspace holds it, for the writing screens: the editor once the draft has
/// arrived, or why it has not.
#[derive(Clone, Copy)]
struct Drafting {
    editor: ReadSignal<Option<Editor>>,
    problem: Signal<String>,
    retry: Callback<()>,
}

/// The writing screens' frame: they open once the draft is there, and say so while it loads.
#[component]
pub fn Writing() -> impl IntoView {
    let drafting = expect_context::<Drafting>();
    move || match drafting.editor.get() {
        Some(e) => {
            provide_context(e);
            view! { <Write/> }.into_any()
        }
        None if drafting.problem.get().is_empty() => {
            view! { <p role="status">"De gepubliceerde inhoud wordt opgehaald…"</p> }.into_any()
        }
        None => view! {
            <div class="notice" role="alert">
                <p>{move || drafting.problem.get()}</p>
                <button type="button" class="button" on:click=move |_| drafting.retry.run(())>
                    "Opnieuw proberen"
                </button>
            </div>
        }
        .into_any(),
    }
}

/// The writing side: the state of the draft, and below it the screen the address asks for.
#[component]
fn Write() -> impl IntoView {
    let editor = use_editor();
    let pending = Memo::new(move |_| {
        editor
            .published
            .with(|p| editor.draft.with(|d| changes(p.as_ref(), d).len()))
    });
    let status = move || {
        match pending.get() {
        0 => "Alles is gepubliceerd. Wat u verandert, blijft als concept op dit apparaat tot u publiceert.".to_owned(),
        _ => "U heeft wijzigingen die nog niet gepubliceerd zijn. Ze staan als concept op dit apparaat.".to_owned(),
    }
    };
    // "Controleren": every problem of the whole draft shows at its field, and the count here.
    let check = move |_| {
        let count = editor.check_all();
        editor.checked.set(Some(count));
    };
    let checked = move || {
        editor.checked.get().map(|count| match count {
            0 => "Alles is in orde. U kunt publiceren.".to_owned(),
            1 => "Er is 1 punt om te verbeteren. Het staat in rood bij het veld, en onder “Controleren en publiceren”.".to_owned(),
            n => format!("Er zijn {n} punten om te verbeteren. Ze staan in rood bij de velden, en onder “Controleren en publiceren”."),
        })
    };
    view! {
        <div class="beheer-status">
            <p role="status">{status}</p>
            <div class="actions">
                <button type="button" class="button" on:click=check>"Controleren"</button>
                <A href=href("controleren") attr:class="button button--primary">"Controleren en publiceren"</A>
            </div>
            <p class="beheer-checked" role="status">{checked}</p>
        </div>
        <Outlet/>
    }
}

/// The parts of the content, each with what it holds.
#[component]
pub fn Overview() -> impl IntoView {
    let editor = use_editor();
    let count = move |f: fn(&Content) -> String| move || editor.draft.with(f);
    /// A part: its address, its name, and what it holds.
    type Part = (&'static str, &'static str, fn(&Content) -> String);
    let parts: [Part; 6] = [
        ("school", "Schoolgegevens", |c| c.school.name.clone()),
        ("maandinfo", "Maandinfo", |c| {
            let items: usize = c.bulletins.iter().map(|b| b.items.len()).sum();
            format!("{} maanden, {items} berichten", c.bulletins.len())
        }),
        ("activiteiten", "Activiteiten", |c| {
            format!("{} activiteiten", c.activities.len())
        }),
        ("themas", "Thema's en gespreksvragen", |c| {
            format!("{} thema's", c.themes.len())
        }),
        ("gesprekken", "Gesprekken met ouders", |c| {
            match c.talks.len() {
                1 => "1 ronde".to_owned(),
                n => format!("{n} rondes"),
            }
        }),
        ("afspraken", "Afspraken", |c| {
            format!("versie {}", c.agreement.version)
        }),
    ];
    let rows = parts
        .into_iter()
        .map(|(part, label, what)| {
            view! {
                <li>
                    <A href=href(part)>
                        <span class="beheer-list__title">{label}</span>
                        <span class="muted">{count(what)}</span>
                    </A>
                </li>
            }
        })
        .collect_view();
    view! {
        <h2>"Wat wilt u schrijven?"</h2>
        <ul class="beheer-list">{rows}</ul>
    }
}

/// The screen that shows the field of `error`, addressed by the ids of the entries it is in.
fn problem_link(content: &Content, error: &FieldError) -> Option<String> {
    let bulletin = |b: usize| content.bulletins.get(b);
    Some(match pane_of(&error.field)? {
        Pane::School => href("school"),
        Pane::Agreement => href("afspraken"),
        Pane::Bulletin(b) => href(&format!("maandinfo/{}", bulletin(b)?.id)),
        Pane::Item(b, i) => {
            let bulletin = bulletin(b)?;
            href(&format!(
                "maandinfo/{}/{}",
                bulletin.id,
                bulletin.items.get(i)?.id
            ))
        }
        Pane::Activity(a) => href(&format!("activiteiten/{}", content.activities.get(a)?.id)),
        Pane::Theme(t) => href(&format!("themas/{}", content.themes.get(t)?.id)),
        Pane::Talk(r) => href(&format!("gesprekken/{}", content.talks.get(r)?.id)),
        Pane::Prompts => return None,
    })
}

/// How the last request of the publish screen went.
#[derive(Clone, PartialEq)]
enum Outcome {
    Done,
    Conflict,
    Refused,
    Failed(String),
    Reloaded,
}

/// What the publish screen asks of the server: one action, so that one answer is shown and one
/// request runs at a time.
#[derive(Clone, Copy)]
enum Request {
    /// Publish the draft over the version it started from.
    Publish,
    /// Load the newest published version and move the draft onto it.
    Reload,
}

/// Publishes the draft; on success the published version becomes the draft's base.
async fn publish(editor: Editor, login: Login) -> Outcome {
    if !editor.errors.with_untracked(Vec::is_empty) {
        editor.check_all();
        return Outcome::Refused;
    }
    let content = editor.published.with_untracked(|p| {
        editor.draft.with_untracked(|d| {
            let mut content = prepare(p.as_ref(), d, today());
            place_new_items(p.as_ref(), &mut content);
            content
        })
    });
    let etag = editor.etag.get_untracked();
    match api::publish(&login, &content, etag.as_deref()).await {
        api::Published::Done(etag) => {
            editor.etag.set(etag);
            editor.published.set(Some(content.clone()));
            editor.draft.set(content);
            Outcome::Done
        }
        api::Published::Conflict => Outcome::Conflict,
        api::Published::Invalid(errors) => {
            editor.server.set(errors);
            editor.check_all();
            Outcome::Refused
        }
        api::Published::LoggedOut => Outcome::Failed(
            "De server kent deze beheercode niet meer. Log uit en log opnieuw in met de nieuwe code; uw concept blijft bewaard.".into(),
        ),
        api::Published::Failed(message) => Outcome::Failed(message),
    }
}

/// Loads the newest published version: what the draft changed stays, the rest becomes the
/// newest version.
async fn reload(editor: Editor, login: Login) -> Outcome {
    match api::published(&login).await {
        Ok(found) => {
            let (published, etag) = found.map_or((None, None), |(c, e)| (Some(c), e));
            if let Some(new) = &published {
                let old = editor.published.get_untracked();
                editor.draft.update(|d| *d = rebase(old.as_ref(), new, d));
            }
            editor.published.set(published);
            editor.etag.set(etag);
            Outcome::Reloaded
        }
        Err(message) => Outcome::Failed(message),
    }
}

/// Review and publish: the problems to solve first, what changes, and the one request.
#[component]
pub fn Publish() -> impl IntoView {
    let editor = use_editor();
    let login = StoredValue::new(expect_context::<Login>());
    let request = Action::new_local(move |request: &Request| {
        let login = login.get_value();
        let request = *request;
        async move {
            match request {
                Request::Publish => publish(editor, login).await,
                Request::Reload => reload(editor, login).await,
            }
        }
    });
    let busy = request.pending();
    // The review names every problem: from here on, each also shows at its field.
    editor.check_all();
    // Nothing to publish or throw away while the draft is what is published.
    let unchanged = Memo::new(move |_| {
        editor
            .published
            .with(|p| editor.draft.with(|d| changes(p.as_ref(), d).is_empty()))
    });

    let problems = move || {
        let errors = editor.errors.get();
        (!errors.is_empty()).then(|| {
            let count = errors.len();
            let rows = errors
                .into_iter()
                .take(50)
                .map(|e| {
                    let (place, link) = editor
                        .draft
                        .with_untracked(|c| (describe(c, &e.field), problem_link(c, &e)));
                    let text = format!("{place}: {}", e.message);
                    match link {
                        Some(link) => view! { <li><A href=link>{text}</A></li> }.into_any(),
                        None => view! { <li>{text}</li> }.into_any(),
                    }
                })
                .collect_view();
            view! {
                <section class="notice" aria-labelledby="eerst-verbeteren">
                    <h3 class="notice__title" id="eerst-verbeteren">
                        {format!("Eerst verbeteren ({count})")}
                    </h3>
                    <p>"Zolang hier iets staat, kan het concept niet gepubliceerd worden. Tik op een punt om naar het veld te gaan."</p>
                    <ul>{rows}</ul>
                </section>
            }
        })
    };

    let summary = move || {
        let parts = editor
            .published
            .with(|p| editor.draft.with(|d| changes(p.as_ref(), d)));
        if parts.is_empty() {
            return view! { <p>"Het concept is gelijk aan wat gepubliceerd is."</p> }.into_any();
        }
        parts
            .into_iter()
            .map(|part| {
                let mut lines = Vec::new();
                for (what, list) in [
                    ("Nieuw", part.added),
                    ("Gewijzigd", part.changed),
                    ("Weg", part.removed),
                ] {
                    for title in list {
                        let title = if title.is_empty() {
                            "(zonder titel)".to_owned()
                        } else {
                            title
                        };
                        lines
                            .push(view! { <li><strong>{format!("{what}: ")}</strong>{title}</li> });
                    }
                }
                view! {
                    <h3>{part.part}</h3>
                    <ul>{lines}</ul>
                }
            })
            .collect_view()
            .into_any()
    };

    let publish = move |_| {
        request.dispatch(Request::Publish);
    };
    let reload = move |_| {
        request.dispatch(Request::Reload);
    };

    let message = move || {
        // While a request runs, the last answer no longer applies.
        if busy.get() {
            return None;
        }
        match request.value().get()? {
        Outcome::Done => Some(view! {
            <div class="notice notice--ok" role="status">
                <p>"Gepubliceerd. Ouders zien het zodra hun app weer verbinding heeft."</p>
            </div>
        }.into_any()),
        Outcome::Conflict => Some(view! {
            <div class="notice" role="alert">
                <p class="notice__title">"Iemand anders heeft intussen gepubliceerd."</p>
                <p>"Uw concept is niet gepubliceerd, en het blijft bewaard. Laad de nieuwste versie: wat u veranderde blijft staan, de rest wordt wat uw collega publiceerde. Daarna ziet u hier wat uw concept nog verandert, en kunt u opnieuw publiceren."</p>
                <button type="button" class="button" on:click=reload>"Nieuwste versie laden"</button>
            </div>
        }.into_any()),
        Outcome::Refused => Some(view! {
            <div class="notice" role="alert">
                <p>"Het concept is niet gepubliceerd: verbeter eerst wat hierboven staat."</p>
            </div>
        }.into_any()),
        Outcome::Reloaded => Some(view! {
            <div class="notice notice--ok" role="status">
                <p>"De nieuwste versie is geladen. Hierboven staat wat uw concept daarin verandert. Klopt het, publiceer dan opnieuw."</p>
            </div>
        }.into_any()),
        Outcome::Failed(text) => Some(view! {
            <div class="notice" role="alert"><p>{text}</p></div>
        }.into_any()),
    }
    };

    let discard = move |_| {
        let question = "Alle wijzigingen die nog niet gepubliceerd zijn weggooien?";
        if editors::confirm(question) {
            let published = editor.published.get_untracked();
            let school = editor.draft.with_untracked(|c| c.school.id.clone());
            editor.local.set(Default::default());
            editor.edit(|c| *c = published.unwrap_or_else(|| blank(&school, today())));
            request.value().set(None);
        }
    };

    view! {
        <p class="beheer-back"><A href=href("")>"← Overzicht"</A></p>
        <h2>"Controleren en publiceren"</h2>
        {problems}
        <section aria-labelledby="wat-verandert">
            <h3 id="wat-verandert" class="visually-hidden">"Wat verandert er"</h3>
            {summary}
        </section>
        <AgreementChanges/>
        {message}
        <div class="actions">
            <button type="button" class="button button--primary" on:click=publish
                disabled=move || busy.get() || unchanged.get()>
                "Publiceren"
            </button>
            <button type="button" class="button button--danger" on:click=discard
                disabled=move || busy.get() || unchanged.get()>
                "Concept weggooien"
            </button>
        </div>
    }
}
