"""Layer 0, utils: small tools any stage may use — files written safely (content hash, atomic
durable write, a name that never overwrites), crash points for the crash tests, the GC pause,
network mounts. Takes plain paths and bytes; imports nothing of pmokit."""
