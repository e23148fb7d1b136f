"""The worker's workflow runner: the SDK's sandbox, less a per-payload cost Glowpath never uses.

Before a workflow task's payloads are decoded and after its commands are encoded, the worker
passes every payload six times through the data converter's codec and external-storage steps,
and for each it asks the workflow instance which serialization context applies (the workflow,
or the activity, child or signal a command is for). Under the sandbox each question compiles and
runs a snippet inside the sandbox, with its import hooks installed and removed again. py-spy on
the step benchmark put those questions at about a fifth of the busy time of the process running
the API and the worker, six times the workflow activations themselves.

The answer matters only to a payload codec or an external store: they are the only steps that
take it (`DataConverter.with_context`), and without them each pass hands the payloads back as
they came. Glowpath's converter has neither (ids and codes only travel through Temporal, and
nothing is encrypted or offloaded), so `runner_for` wraps the sandbox in a runner whose
instances answer "no particular context" at once. Everything else, the activations above all,
runs in the sandbox as before. Should a codec or an external store be added, `runner_for` gives
the plain sandbox back, and every context is asked for again.
"""

from __future__ import annotations

from collections.abc import Sequence

from temporalio.bridge.proto.workflow_activation import WorkflowActivation
from temporalio.bridge.proto.workflow_completion import WorkflowActivationCompletion
from temporalio.converter import DataConverter, StorageDriverStoreContext
from temporalio.worker import WorkflowInstance, WorkflowInstanceDetails, WorkflowRunner
from temporalio.workflow import Info, _Definition


def needs_payload_contexts(converter: DataConverter) -> bool:
    """Whether a step of `converter` reads the serialization or store context of a payload."""
    return converter.payload_codec is not None or converter.external_storage is not None


class ContextFreeInstance(WorkflowInstance):
    """A workflow instance of the wrapped runner that names no payload context."""

    def __init__(self, inner: WorkflowInstance) -> None:
        self._inner = inner

    def activate(self, act: WorkflowActivation) -> WorkflowActivationCompletion:
        return self._inner.activate(act)

    def get_serialization_context(self, command_info: object) -> None:
        # None: the worker's own converter, unchanged, which has no codec to give it to.
        return None

    def get_external_store_context(self, command_info: object) -> StorageDriverStoreContext:
        return StorageDriverStoreContext(target=None)

    def get_info(self) -> Info:
        return self._inner.get_info()

    def get_thread_id(self) -> int | None:
        # The worker reads it to report a deadlocked workflow's stack.
        return self._inner.get_thread_id()


class ContextFreeRunner(WorkflowRunner):
    """Runs workflows in `inner`; its instances answer no payload context (see the module)."""

    def __init__(self, inner: WorkflowRunner) -> None:
        self.inner = inner

    def prepare_workflow(self, defn: _Definition) -> None:
        self.inner.prepare_workflow(defn)

    def create_instance(self, det: WorkflowInstanceDetails) -> WorkflowInstance:
        return ContextFreeInstance(self.inner.create_instance(det))

    def set_worker_level_failure_exception_types(
        self, types: Sequence[type[BaseException]]
    ) -> None:
        self.inner.set_worker_level_failure_exception_types(types)


def runner_for(converter: DataConverter, sandbox: WorkflowRunner) -> WorkflowRunner:
    """`sandbox`, wrapped to skip the payload-context questions when `converter` never reads
    their answers."""
    if needs_payload_contexts(converter):
        return sandbox
    return ContextFreeRunner(sandbox)
