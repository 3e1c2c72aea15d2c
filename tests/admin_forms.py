"""
What a Wagtail admin edit form posts when an editor saves it unchanged, so that tests can post it
through the admin views with only the changes they make (as a browser would, without the JavaScript).
"""

import datetime

from django import forms
from wagtail.blocks import BlockField, ListBlock, StreamBlock, StructBlock


def block_data(block, value, prefix):
    """A block's value as its form widgets post it (StreamBlock, StructBlock, ListBlock and leaves)."""
    if isinstance(block, StreamBlock):
        data = {f"{prefix}-count": str(len(value))}
        for index, child in enumerate(value):
            key = f"{prefix}-{index}"
            data.update({f"{key}-type": child.block_type, f"{key}-deleted": "", f"{key}-order": str(index)})
            data[f"{key}-id"] = child.id or ""
            data.update(block_data(child.block, child.value, f"{key}-value"))
        return data
    if isinstance(block, StructBlock):
        data = {}
        for name, child_block in block.child_blocks.items():
            data.update(block_data(child_block, value[name], f"{prefix}-{name}"))
        return data
    if isinstance(block, ListBlock):
        data = {f"{prefix}-count": str(len(value))}
        for index, item in enumerate(value.bound_blocks):
            key = f"{prefix}-{index}"
            data.update({f"{key}-deleted": "", f"{key}-order": str(index), f"{key}-id": item.id or ""})
            data.update(block_data(block.child_block, item.value, f"{key}-value"))
        return data
    state = block.get_form_state(value)
    return {prefix: "" if state is None else state}


def field_data(bound_field):
    field = bound_field.field
    value = bound_field.value()
    if isinstance(field, BlockField):
        return block_data(field.block, value, bound_field.html_name)
    if isinstance(field.widget, forms.CheckboxInput):
        return {bound_field.html_name: "on"} if value else {}
    if value is None:
        return {bound_field.html_name: ""}
    if isinstance(value, datetime.datetime | datetime.date):
        return {bound_field.html_name: value.isoformat()}
    if isinstance(value, list | tuple):
        return {bound_field.html_name: [str(getattr(item, "pk", item)) for item in value]}
    formatted = field.widget.format_value(value)
    if isinstance(formatted, list):
        formatted = formatted[0] if len(formatted) == 1 else formatted
    return {bound_field.html_name: "" if formatted is None else formatted}


def form_data(form):
    """Every field of `form` and of its formsets (nested too), as the form shows them."""
    data = {}
    for bound_field in form:
        data.update(field_data(bound_field))
    for formset in getattr(form, "formsets", {}).values():
        for bound_field in formset.management_form:
            data[bound_field.html_name] = str(bound_field.value())
        for child in formset.forms:
            data.update(form_data(child))
    return data


def page_edit_data(page, user, **changes):
    """What the page's edit form posts for `user` (fields shown to them only), with `changes` applied."""
    page = page.get_latest_revision_as_object()
    form_class = page.get_edit_handler().get_form_class()
    form = form_class(instance=page, parent_page=page.get_parent(), for_user=user)
    return {**form_data(form), **changes}
