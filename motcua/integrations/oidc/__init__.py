"""motcua as an OpenID Connect relying party: log in through the national e-identity
(VNeID) or any provider configured by settings (docs/accounts.md)."""
