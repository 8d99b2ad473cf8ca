"""Files about the site as a whole: sitemap.xml and robots.txt (a step of foreningssajt/cli/build.py)."""
