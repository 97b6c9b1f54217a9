"""The admin's big change lists: their rows and filters rendered once per change."""

from django import template

from funding.admin.lists import changelist_part_key
from funding.cache import cached

register = template.Library()


class CachedChangelistPart(template.Node):
    def __init__(self, nodelist, changelist, part):
        self.nodelist, self.changelist, self.part = nodelist, changelist, part

    def render(self, context):
        changelist = self.changelist.resolve(context)
        request = context["request"]
        key = changelist_part_key(changelist, request)
        if key is None:
            return self.nodelist.render(context)
        return cached(
            ("changelist", changelist.opts.label_lower, self.part, key),
            lambda: self.nodelist.render(context),
            scope="admin",
            address=request.get_full_path(),
        )


@register.tag
def changelist_part(parser, token):
    """`{% changelist_part cl "rows" %}…{% endchangelist_part %}`: the enclosed part of a
    change list, cached until a funding record changes (`changelist_part_key` says for whom).

    Rendering the rows and the filter links is most of a big list's time; the same list for
    the same address is the same bytes for every admin with the same rights.
    """
    try:
        _name, changelist, part = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError(
            "changelist_part takes the change list and a name"
        ) from None
    nodelist = parser.parse(("endchangelist_part",))
    parser.delete_first_token()
    return CachedChangelistPart(nodelist, parser.compile_filter(changelist), part.strip("\"'"))
