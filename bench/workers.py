"""Resident memory of gunicorn's workers, read from /proc."""

import threading
from pathlib import Path


def worker_pids(master: int) -> list[int]:
    """The processes whose parent is the gunicorn master."""
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue  # the process ended meanwhile
        if fields.get("PPid", "").strip() == str(master):
            pids.append(int(status.parent.name))
    return sorted(pids)


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def resident_memory(master: int) -> dict[int, float]:
    """Megabytes resident per worker now."""
    memory = {}
    for pid in worker_pids(master):
        try:
            memory[pid] = resident_mb(pid)
        except OSError:
            continue
    return memory


def merge_peaks(first: dict[int, float], second: dict[int, float]) -> dict[int, float]:
    return {pid: max(first.get(pid, 0.0), second.get(pid, 0.0)) for pid in {*first, *second}}


class PeakSampler:
    """Samples the workers' memory every 50 ms in a thread, keeping each worker's peak."""

    def __init__(self, master: int):
        self.master = master
        self.peaks: dict[int, float] = {}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        while not self.stopping.wait(0.05):
            self.peaks = merge_peaks(self.peaks, resident_memory(self.master))

    def stop(self) -> dict[int, float]:
        self.stopping.set()
        self.thread.join(timeout=5)
        return self.peaks
