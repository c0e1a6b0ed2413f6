"""Logical IDs that leave out the constructs grouping the stack by concern.

CDK makes a resource's logical ID from its construct path. The stack's resources were first
built straight in the stack; grouping them into one construct a concern would rename every one,
and CloudFormation would replace the buckets, tables and user pool of every deployed stage. So
a :class:`Concern`'s own ID is left out of the paths its resources' logical IDs are made from,
and a deployed stack updates in place.

:func:`unique_id` is CDK's own rule (aws-cdk-lib ``core/lib/private/uniqueid``, not exported):
the path's IDs without ``Default``, alphanumerics only, ``Resource`` left out of the readable
part, then 8 hex digits of the MD5 of the whole path.
"""

from __future__ import annotations

import hashlib
import re

import aws_cdk as cdk
from constructs import Construct

HIDDEN_ID = "Default"
HIDDEN_FROM_HUMAN_ID = "Resource"
MAX_HUMAN_LEN = 240
MAX_ID_LEN = 255
HASH_LEN = 8
# A construct ID that ends with another construct's unique ID (CDK names a function's
# invoke permission and a role's policy after their target): it names a path too.
ENDS_WITH_UNIQUE_ID = re.compile(r"[0-9A-F]{8}$")


class Concern(Construct):
    """The resources of one concern (storage, tables, ...): its ID is not in their logical IDs."""


def unique_id(components: list[str]) -> str:
    """CDK's logical ID for the construct path ``components`` (below the stack)."""
    components = [c for c in components if c != HIDDEN_ID]
    if len(components) == 1 and len(_alphanumeric(components[0])) <= MAX_ID_LEN:
        return _alphanumeric(components[0])
    digest = hashlib.md5("/".join(components).encode()).hexdigest()[:HASH_LEN].upper()
    deduplicated: list[str] = []
    for component in components:
        if not deduplicated or not deduplicated[-1].endswith(component):
            deduplicated.append(component)
    human = "".join(_alphanumeric(c) for c in deduplicated if c != HIDDEN_FROM_HUMAN_ID)
    return human[:MAX_HUMAN_LEN] + digest


def allocate(stack: cdk.Stack, element: cdk.CfnElement) -> str:
    """``element``'s logical ID as if no concern construct stood between it and ``stack``."""
    return unique_id(
        [name_without_concerns(stack, c) for c in _path_without_concerns(stack, element)]
    )


def name_without_concerns(stack: cdk.Stack, name: str) -> str:
    """``name`` as CDK made it before concerns, when it ends with a construct's unique ID."""
    if ENDS_WITH_UNIQUE_ID.search(name):
        for with_concern, without in _unique_ids_without_concerns(stack).items():
            if name.endswith(with_concern):
                return name.removesuffix(with_concern) + without
    return name


def _path_without_concerns(stack: cdk.Stack, construct: Construct) -> list[str]:
    scopes = construct.node.scopes
    below = scopes[[s.node.path for s in scopes].index(stack.node.path) + 1 :]
    return [scope.node.id for scope in below if not isinstance(scope, Concern)]


def _unique_ids_without_concerns(stack: cdk.Stack) -> dict[str, str]:
    """Each construct's unique ID (``Names.nodeUniqueId``) -> the one it had before concerns."""
    renamed = {}
    for concern in stack.node.children:
        if not isinstance(concern, Concern):
            continue
        depth = len(concern.node.scopes) - 2  # its place in a path, which leaves out the app
        for construct in concern.node.find_all():
            path = construct.node.path.split("/")
            renamed[unique_id(path)] = unique_id(path[:depth] + path[depth + 1 :])
    return renamed


def _alphanumeric(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", text)
