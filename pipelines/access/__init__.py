"""Access control: who may see what (``policy``), the users file (``users``), sessions,
sign-in attempts and the download audit (``store``), single sign-on roles (``oidc``) and
the ``make user`` command line (``__main__``)."""
