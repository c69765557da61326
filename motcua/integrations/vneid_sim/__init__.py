"""A small local OpenID Connect provider that behaves like the national e-identity (VNeID)
for the demo and the tests: discovery, an authorize page where you pick one of a few
simulated citizens of Thanh Hóa, a token endpoint issuing RS256-signed ID tokens, userinfo
and JWKS. Its pages answer only when settings.VNEID_SIMULATOR is on (the demo; never by
default in production)."""
