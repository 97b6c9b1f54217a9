"""A record's text in the page's language, with its `lang` mark (funding/languages.py).

On the element that holds the text:
    {% with description=programme|in_language:"description" %}
      <p{{ description.lang_attr }}>{{ description }}</p>
    {% endwith %}
    <a href="…"{{ source|lang_attr:"title" }}>{{ source|in_language:"title" }}</a>
Inside a sentence (wrapped in <span lang="nl"> when Dutch stands in for English):
    {{ partner|marked:"description" }}
"""

from django import template

from funding import languages

register = template.Library()


@register.filter
def in_language(record, field):
    return languages.in_language(record, field)


@register.filter
def marked(record, field):
    return languages.in_language(record, field).marked


@register.filter
def lang_attr(record, field):
    """` lang="nl"` for the element that holds the text, when it is not in the page's language."""
    return languages.in_language(record, field).lang_attr


@register.filter
def original(record, field):
    return languages.original(record, field)


@register.filter
def translated(record, field):
    return languages.translated(record, field)
