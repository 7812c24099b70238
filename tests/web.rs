//! The volunteer page's HTTP API against the real server (the browser test in
//! `tests/browser/` drives the page itself in Chromium).

mod common;

use serde_json::Value;

#[tokio::test]
async fn page_and_api_answer_in_dutch() {
    let (addr, stop, task, _data) = common::start_with_web().await;

    let (status, html) = common::http(&addr, "GET", "/", "").await;
    assert_eq!(status, 200);
    assert!(html.contains("<html lang=\"nl\">") && html.contains("Print of deel deze lijst"));
    let (status, js) = common::http(&addr, "GET", "/app.js", "").await;
    assert_eq!(status, 200);
    assert!(js.contains("/api/search"));

    let (status, info) = common::http(&addr, "GET", "/api/info", "").await;
    assert_eq!(status, 200);
    let info: Value = serde_json::from_str(&info).unwrap();
    assert_eq!(info["gemeenten"].as_array().unwrap().len(), 7);

    let (status, found) = common::http(
        &addr,
        "POST",
        "/api/search",
        r#"{"query": "finacieel hulphuis"}"#,
    )
    .await;
    assert_eq!(status, 200, "{found}");
    let found: Value = serde_json::from_str(&found).unwrap();
    assert_eq!(found["treffers"][0]["naam"], "Financieel Hulphuis");
    assert_eq!(
        found["treffers"][0]["niveau_label"],
        "Voor iedereen, zonder verwijzing"
    );
    // The route, the cost and the date it was checked, in the page's words.
    let hit = &found["treffers"][0];
    assert!(
        hit["bereikbaar_via"]
            .as_str()
            .is_some_and(|v| v.starts_with("Bereikbaar via "))
            || hit["contact_onbekend"] == "Contactgegevens niet bekend in deze catalogus.",
        "{hit}"
    );
    assert_eq!(hit["kosten"], "Kosten: navragen.", "{hit}");
    assert!(
        hit["geverifieerd"].as_str().is_some_and(|d| d.len() == 10),
        "{hit}"
    );

    let (status, list) =
        common::http(&addr, "POST", "/api/suggest", r#"{"prefix": "mantel"}"#).await;
    assert_eq!(status, 200);
    assert!(!serde_json::from_str::<Value>(&list)
        .unwrap()
        .as_array()
        .unwrap()
        .is_empty());

    let body = r#"{"leeftijd": 40, "gemeente": "Dordrecht", "signalen": ["huiselijk_geweld"], "leefgebieden": {"veiligheid": 1}}"#;
    let (status, matched) = common::http(&addr, "POST", "/api/match", body).await;
    assert_eq!(status, 200, "{matched}");
    let matched: Value = serde_json::from_str(&matched).unwrap();
    assert_eq!(matched["resultaten"][0]["crisis"], true);
    assert_eq!(matched["resultaten"][0]["naam"], "Veilig Thuis");
    assert!(matched["advies"]
        .as_str()
        .unwrap()
        .starts_with("Veiligheid eerst"));

    let _ = stop.send(());
    task.await.unwrap().unwrap();
}

#[tokio::test]
async fn bad_input_gets_a_dutch_error_naming_the_field_without_echoing_it() {
    let (addr, stop, task, _data) = common::start_with_web().await;
    let marker = "Qx9geheimwoord";

    let (status, err) = common::http(
        &addr,
        "POST",
        "/api/search",
        &format!(r#"{{"query": "{marker}", "gemeente": "{marker}"}}"#),
    )
    .await;
    assert_eq!(status, 400);
    let err: Value = serde_json::from_str(&err).unwrap();
    assert_eq!(err["velden"][0]["veld"], "gemeente");
    assert!(!err.to_string().contains(marker));

    let (status, err) = common::http(
        &addr,
        "POST",
        "/api/match",
        &format!(r#"{{"text": "{marker}", "leefgebieden": {{"financien": 7}}}}"#),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        err.contains("request.leefgebieden[0].score") && !err.contains(marker),
        "{err}"
    );

    let (status, err) = common::http(
        &addr,
        "POST",
        "/api/match",
        &format!(r#"{{"text": "{marker}""#),
    )
    .await;
    assert_eq!(status, 400, "malformed JSON");
    assert!(
        err.contains("niet gelezen") && !err.contains(marker),
        "{err}"
    );

    let (status, _) = common::http(&addr, "GET", "/api/search", "").await;
    assert_eq!(status, 405, "search text never travels in a GET");

    let _ = stop.send(());
    task.await.unwrap().unwrap();
}
