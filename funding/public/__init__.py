"""The public face: the home page, programme pages, embeds and the badge, language links."""
