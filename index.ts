// Entry point for `pulumi up` / `pulumi preview`: the stack's role decides what is built (stacks/main.ts).
import { main } from "./stacks/main";

export = main;
