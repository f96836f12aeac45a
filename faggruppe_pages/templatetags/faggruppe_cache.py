"""``{% reader_fragment "name" %}…{% endreader_fragment %}``: the parts of a reader page that are cached.

templates/base.html wraps its blocks ``title``, ``extra_head`` and ``content`` in it. Rendering is unchanged;
when the page view is cached (faggruppe_pages/reader/cache.py), the rendered part is also handed to the cache.
Everything outside (the header with the user's name, forms with CSRF tokens, the user bar) is rendered per request.
"""

from django import template

from faggruppe_pages.reader.cache import COLLECTOR

register = template.Library()


class ReaderFragmentNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        output = self.nodelist.render(context)
        collected = context.get(COLLECTOR)
        if collected is not None:
            collected[self.name] = output
        return output


@register.tag
def reader_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Usage: {% reader_fragment "name" %}…{% endreader_fragment %}')
    nodelist = parser.parse(("endreader_fragment",))
    parser.delete_first_token()
    return ReaderFragmentNode(bits[1][1:-1], nodelist)
