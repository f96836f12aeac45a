"""Single sign-on with OpenID Connect (issue 17): the municipality's Entra ID, Ansattporten or any standard provider.

- ``provider``: the settings and the provider's discovery document (fetched lazily, cached in the process).
- ``backend``: mozilla-django-oidc's backend, extended: issuer, tenant and audience checks, users matched by
  (issuer, subject) only, linked to their Person by verified work e-mail, name and e-mail refreshed.
- ``rights``: directory groups → "Redaksjon" or an organisation's representatives, applied at every login.
- ``views``: /oidc/authenticate/ and /oidc/callback/ (refusals as Norwegian messages on the login page), and the
  provider logout that /logg-ut/ chains to.
- ``wagtail_hooks``: staff's "Kataloggrupper" under Innstillinger.
How to set it up for Entra ID and Ansattporten: docs/deploy.md "Single sign-on".
"""
