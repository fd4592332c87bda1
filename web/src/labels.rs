//! The words for the core's kinds and answers, in the user's language: one place for both apps.

use driehoek_core::{ActivityKind, Answer, ItemKind};

use crate::i18n::Strings;

/// The text label of a kind of activity.
pub fn activity_kind_label(t: &Strings, kind: ActivityKind) -> &'static str {
    match kind {
        ActivityKind::Jaaropening => t.activities_kind_jaaropening,
        ActivityKind::Informatieavond => t.activities_kind_informatieavond,
        ActivityKind::InteractieveOuderavond => t.activities_kind_interactieve_ouderavond,
        ActivityKind::Koffiemoment => t.activities_kind_koffiemoment,
        ActivityKind::Inloopmoment => t.activities_kind_inloopmoment,
        ActivityKind::Beroependag => t.activities_kind_beroependag,
        ActivityKind::Startgesprek => t.activities_kind_startgesprek,
        ActivityKind::Rapportgesprek => t.activities_kind_rapportgesprek,
        ActivityKind::Huisbezoek => t.activities_kind_huisbezoek,
        ActivityKind::Nieuwjaarsreceptie => t.activities_kind_nieuwjaarsreceptie,
        ActivityKind::Klankbordgroep => t.activities_kind_klankbordgroep,
        ActivityKind::Ouderraad => t.activities_kind_ouderraad,
        ActivityKind::Excursie => t.activities_kind_excursie,
        ActivityKind::Schoolfeest => t.activities_kind_schoolfeest,
        ActivityKind::Anders => t.activities_kind_anders,
    }
}

/// The text label of a kind of item; the icon beside it is decoration, this is what it means.
pub fn item_kind_label(t: &Strings, kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::VrijeDag => t.bulletins_kind_vrije_dag,
        ItemKind::Studiedag => t.bulletins_kind_studiedag,
        ItemKind::Vakantie => t.bulletins_kind_vakantie,
        ItemKind::Uitstapje => t.bulletins_kind_uitstapje,
        ItemKind::Nieuws => t.bulletins_kind_nieuws,
        ItemKind::PositiefNieuws => t.bulletins_kind_positief_nieuws,
        ItemKind::Oproep => t.bulletins_kind_oproep,
        ItemKind::Viering => t.bulletins_kind_viering,
        ItemKind::Herinnering => t.bulletins_kind_herinnering,
    }
}

/// The label of an answer.
pub fn answer_label(t: &Strings, answer: Answer) -> &'static str {
    match answer {
        Answer::Ja => t.activities_answer_yes,
        Answer::Nee => t.activities_answer_no,
        Answer::Misschien => t.activities_answer_maybe,
    }
}
