// Node globals first: the shared packages read them while loading.
import "./polyfills.js";
import "./style.css";
import { startConsole } from "./app.js";

const root = document.getElementById("app");
if (root) void startConsole(root);
