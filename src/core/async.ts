/** Lets pending I/O run (IPC cancel requests, SIGINT handlers) between epochs and iterations. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
