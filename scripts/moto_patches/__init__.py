"""The project's test-only patches to moto, applied by scripts/local-aws (the local AWS of the README
walk-through and the test suite's API peer alike).

moto's EC2 API is faithful for security groups; its CloudFormation is not. Each patch here restores
one behaviour AWS documents, cites the page that documents it, and changes only what moto does with
a request, never what the tool sends. A patch whose target is missing from moto (another version,
a renamed function) stops local-aws before it serves anything: a local AWS that silently lost a
patch would report drift AWS would not, or hide drift AWS would show.

What stays different from AWS is listed in Tests/SGActionsTests/MotoDivergences.swift.
"""
import importlib

#: The only moto the patches are written against (scripts/ensure-deps.sh installs it).
PINNED_MOTO = "5.2.1"


class PatchTargetMissing(RuntimeError):
    """A patch's target is not in the installed moto."""


class Patch:
    """One patch: a name, the AWS behaviour it restores, the documentation of that behaviour."""

    def __init__(self, name, restores, citations, apply):
        self.name = name
        self.restores = restores
        self.citations = citations
        self.apply = apply


#: Every patch, in the order applied (filled by the modules imported at the end of this file).
PATCHES = []


def patch(name, restores, *citations):
    """Registers the decorated function as the patch `name`; `citations` document the behaviour."""

    def register(apply):
        PATCHES.append(Patch(name, restores, list(citations), apply))
        return apply

    return register


def target(module_name, *path, patch_name):
    """moto's `module.path...` that a patch replaces or wraps; PatchTargetMissing when absent."""
    try:
        found = importlib.import_module(module_name)
    except ImportError as error:
        raise PatchTargetMissing(f"{patch_name}: module {module_name} cannot be imported ({error})") from error
    walked = module_name
    for part in path:
        walked += "." + part
        # Class attributes are looked up in the class's own dictionary first, so a property or a
        # classmethod is found as what it is, not as what it returns.
        holder = found
        found = vars(holder).get(part, getattr(holder, part, None)) if isinstance(holder, type) else getattr(holder, part, None)
        if found is None:
            raise PatchTargetMissing(f"{patch_name}: moto has no {walked}")
    return found


def check_version():
    """The installed moto, refused unless it is the pinned one."""
    import moto

    installed = getattr(moto, "__version__", "unknown")
    if installed != PINNED_MOTO:
        raise PatchTargetMissing(
            f"moto {installed} is installed; the patches are written for moto {PINNED_MOTO}"
            f" (pip install 'moto[server]=={PINNED_MOTO}', or make deps)")
    return installed


def apply_all():
    """Applies every patch; raises PatchTargetMissing at the first one that cannot apply."""
    check_version()
    for each in PATCHES:
        try:
            each.apply()
        except PatchTargetMissing:
            raise
        except Exception as error:  # a target that changed shape is as missing as an absent one
            raise PatchTargetMissing(f"{each.name}: cannot apply ({type(error).__name__}: {error})") from error
    return PATCHES


from . import security_groups, stacks, ssm_parameters, cloudtrail_history  # noqa: E402,F401  (registers the patches)
