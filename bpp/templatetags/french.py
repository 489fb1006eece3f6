"""`{{ date|jour }}`: a day in words with French typography ("1er mars 2026")."""

from django import template

from bpp import french

register = template.Library()


@register.filter
def jour(value):
    return french.day(value) if value else ""
