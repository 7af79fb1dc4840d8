use crate::harness::Backend;
use argon2::password_hash::PasswordHasher;
use outlay_core::store::UserRecord;
use outlay_core::AppError;

const PASSWORD: &str = "correct horse battery";

async fn wrong_password_is_refused(backend: Backend) {
    let app = backend.app().await;
    app.user("ann@example.com").await;
    let error = app
        .outlay
        .log_in("ann@example.com", "wrong password!", false)
        .await
        .unwrap_err();
    assert!(matches!(error, AppError::WrongCredentials), "{error:?}");
    assert!(app
        .outlay
        .log_in("ann@example.com", PASSWORD, false)
        .await
        .is_ok());
}

async fn unknown_user_answers_like_a_wrong_password(backend: Backend) {
    let app = backend.app().await;
    app.user("ann@example.com").await;
    let unknown = app
        .outlay
        .log_in("nobody@example.com", PASSWORD, false)
        .await
        .unwrap_err();
    let wrong = app
        .outlay
        .log_in("ann@example.com", "not the password", false)
        .await
        .unwrap_err();
    assert_eq!(
        (unknown.kind(), unknown.to_string()),
        (wrong.kind(), wrong.to_string())
    );
}

async fn email_is_case_insensitive(backend: Backend) {
    let app = backend.app().await;
    let session = app
        .outlay
        .sign_up("Ann@Example.COM", PASSWORD, "USD")
        .await
        .unwrap();
    assert_eq!(session.email, "ann@example.com");
    let again = app
        .outlay
        .sign_up("ann@EXAMPLE.com", PASSWORD, "EUR")
        .await
        .unwrap_err();
    assert!(matches!(again, AppError::EmailTaken), "{again:?}");
    let signed_in = app
        .outlay
        .log_in("ANN@example.com", PASSWORD, false)
        .await
        .unwrap();
    assert_eq!(signed_in.session.user_id, session.user_id);
}

async fn hostile_passwords_are_clear_errors(backend: Backend) {
    let app = backend.app().await;
    let huge = "p".repeat(1024 * 1024);
    for password in ["", huge.as_str(), "nul\0password"] {
        let error = app
            .outlay
            .sign_up("ann@example.com", password, "USD")
            .await
            .unwrap_err();
        assert_eq!(
            error.field(),
            Some("password"),
            "sign up with {} bytes",
            password.len()
        );
    }
    app.user("ann@example.com").await;
    for password in ["", huge.as_str(), "nul\0password"] {
        let error = app
            .outlay
            .log_in("ann@example.com", password, false)
            .await
            .unwrap_err();
        assert_eq!(
            error.field(),
            Some("password"),
            "log in with {} bytes",
            password.len()
        );
    }
    // None of those counted as a guess: the real password still works at once.
    assert!(app
        .outlay
        .log_in("ann@example.com", PASSWORD, false)
        .await
        .is_ok());
}

async fn lockout_survives_reopening_the_database(backend: Backend) {
    let app = backend.app().await;
    app.user("ann@example.com").await;
    for attempt in 1..=10 {
        let error = app
            .outlay
            .log_in("ann@example.com", "guess guess guess", false)
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                AppError::WrongCredentials | AppError::TooManyAttempts { .. }
            ),
            "attempt {attempt}: {error:?}"
        );
        // Let the growing delays of attempts 5–9 pass, so we reach the tenth failure.
        app.clock.advance(chrono::Duration::seconds(40));
    }
    let reopened = app.reopen().await;
    let error = reopened
        .log_in("ann@example.com", PASSWORD, false)
        .await
        .unwrap_err();
    assert!(
        matches!(error, AppError::TooManyAttempts { retry_after_secs } if retry_after_secs > 800),
        "{error:?}"
    );
    app.clock.advance(chrono::Duration::minutes(15));
    assert!(reopened
        .log_in("ann@example.com", PASSWORD, false)
        .await
        .is_ok());
    // Success forgets the failures: one more wrong guess is not locked out.
    let error = reopened
        .log_in("ann@example.com", "one more guess", false)
        .await
        .unwrap_err();
    assert!(matches!(error, AppError::WrongCredentials), "{error:?}");
}

async fn delays_grow_after_four_failures(backend: Backend) {
    let app = backend.app().await;
    app.user("ann@example.com").await;
    for _ in 0..5 {
        let _ = app
            .outlay
            .log_in("ann@example.com", "guess guess guess", false)
            .await;
    }
    let error = app
        .outlay
        .log_in("ann@example.com", PASSWORD, false)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            AppError::TooManyAttempts {
                retry_after_secs: 2
            }
        ),
        "{error:?}"
    );
    app.clock.advance(chrono::Duration::seconds(2));
    assert!(app
        .outlay
        .log_in("ann@example.com", PASSWORD, false)
        .await
        .is_ok());
}

async fn unknown_emails_are_throttled_too(backend: Backend) {
    let app = backend.app().await;
    for _ in 0..10 {
        let _ = app
            .outlay
            .log_in("ghost@example.com", "guess guess guess", false)
            .await;
        app.clock.advance(chrono::Duration::seconds(40));
    }
    let error = app
        .outlay
        .log_in("ghost@example.com", PASSWORD, false)
        .await
        .unwrap_err();
    assert!(
        matches!(error, AppError::TooManyAttempts { .. }),
        "{error:?}"
    );
}

async fn remember_me_token_resumes_until_logout(backend: Backend) {
    let app = backend.app().await;
    app.user("ann@example.com").await;
    let signed_in = app
        .outlay
        .log_in("ann@example.com", PASSWORD, true)
        .await
        .unwrap();
    let token = signed_in
        .remember_token
        .expect("a token when asked to remember");
    assert_eq!(token.len(), 64, "256 bits as hex");
    let resumed = app.reopen().await.resume(&token).await.unwrap();
    assert_eq!(resumed.user_id, signed_in.session.user_id);
    app.outlay.log_out(Some(&token)).await.unwrap();
    assert!(matches!(
        app.outlay.resume(&token).await,
        Err(AppError::NotSignedIn)
    ));
    assert!(matches!(
        app.outlay.resume("not a token").await,
        Err(AppError::NotSignedIn)
    ));
}

async fn remember_me_expires_after_thirty_days(backend: Backend) {
    let app = backend.app().await;
    app.user("ann@example.com").await;
    let token = app
        .outlay
        .log_in("ann@example.com", PASSWORD, true)
        .await
        .unwrap()
        .remember_token
        .unwrap();
    app.clock.advance(chrono::Duration::days(31));
    assert!(matches!(
        app.outlay.resume(&token).await,
        Err(AppError::NotSignedIn)
    ));
}

async fn change_password_revokes_tokens(backend: Backend) {
    let app = backend.app().await;
    let session = app.user("ann@example.com").await;
    let token = app
        .outlay
        .log_in("ann@example.com", PASSWORD, true)
        .await
        .unwrap()
        .remember_token
        .unwrap();
    let error = app
        .outlay
        .change_password(&session, "wrong current", "a new passphrase")
        .await
        .unwrap_err();
    assert_eq!(error.field(), Some("currentPassword"));
    app.outlay
        .change_password(&session, PASSWORD, "a new passphrase")
        .await
        .unwrap();
    assert!(app.outlay.resume(&token).await.is_err());
    assert!(app
        .outlay
        .log_in("ann@example.com", PASSWORD, false)
        .await
        .is_err());
    assert!(app
        .outlay
        .log_in("ann@example.com", "a new passphrase", false)
        .await
        .is_ok());
}

async fn weak_hashes_are_upgraded_at_login(backend: Backend) {
    let app = backend.app().await;
    let params = argon2::Params::new(8 * 1024, 1, 1, None).unwrap();
    let weak = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let user = UserRecord {
        id: uuid::Uuid::now_v7(),
        email: "old@example.com".into(),
        password_hash: weak.hash_password(PASSWORD.as_bytes()).unwrap().to_string(),
        base_currency: outlay_core::domain::Currency::parse("USD").unwrap(),
        created_at: chrono::Utc::now(),
    };
    app.outlay.store().insert_user(&user, &[]).await.unwrap();
    let signed_in = app
        .outlay
        .log_in("old@example.com", PASSWORD, false)
        .await
        .unwrap();
    let stored = signed_in
        .session
        .store()
        .profile()
        .user()
        .await
        .unwrap()
        .unwrap()
        .password_hash;
    assert!(
        stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{stored}"
    );
    assert!(app
        .outlay
        .log_in("old@example.com", PASSWORD, false)
        .await
        .is_ok());
}

async fn delete_account_removes_everything_of_that_user_only(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let bob = app.user("bob@example.com").await;
    app.spend(&ann, "10", "2026-11-20", "Groceries", "ann's")
        .await;
    let bobs = app
        .spend(&bob, "20", "2026-11-20", "Groceries", "bob's")
        .await;
    let wrong = app
        .outlay
        .delete_account(&ann, "not my password")
        .await
        .unwrap_err();
    assert_eq!(wrong.field(), Some("currentPassword"));
    app.outlay.delete_account(&ann, PASSWORD).await.unwrap();
    assert!(app
        .outlay
        .log_in("ann@example.com", PASSWORD, false)
        .await
        .is_err());
    assert!(app.outlay.categories(&ann).await.unwrap().is_empty());
    assert_eq!(
        app.outlay.expense(&bob, bobs.id).await.unwrap().description,
        "bob's"
    );
    // The address is free again.
    app.user("ann@example.com").await;
}

contract_tests!(
    wrong_password_is_refused,
    unknown_user_answers_like_a_wrong_password,
    email_is_case_insensitive,
    hostile_passwords_are_clear_errors,
    lockout_survives_reopening_the_database,
    delays_grow_after_four_failures,
    unknown_emails_are_throttled_too,
    remember_me_token_resumes_until_logout,
    remember_me_expires_after_thirty_days,
    change_password_revokes_tokens,
    weak_hashes_are_upgraded_at_login,
    delete_account_removes_everything_of_that_user_only,
);
