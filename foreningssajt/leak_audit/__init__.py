"""The leak audit: the build fails if protected text appears in plaintext in output/.

Not a Pelican plugin: foreningssajt/cli/build.py runs audit.audit_build() as the last step, after
everything has been written to the staging folder; Pagefind's folder is read once it is done.
"""
