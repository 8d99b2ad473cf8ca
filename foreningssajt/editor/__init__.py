"""The web editor at /admin/: Decap CMS, served from the site itself, configured by the build.

Not a Pelican plugin: foreningssajt/cli/build.py runs `admin.write_admin` as a step after Pelican,
so that the sitemap, the search index and the leak audit all see (and leave out) the
editor's files. The configuration is made from the content contract
(content_rules/rules.py), the publication map (siteconfig/publication.py) and
site.yml, so the editor asks for exactly what the build will accept.
"""
