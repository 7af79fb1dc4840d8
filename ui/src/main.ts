import { mark } from "./trace";
mark("main.ts runs");
import { start } from "./app";

void start();
