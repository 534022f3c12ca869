package io.tickmux.routing.config;

import java.util.List;

/**
 * Configuration is invalid. Lists every problem found, each naming the full path of the key and how
 * to fix it, so that one start-up attempt shows them all.
 */
public class ConfigProblems extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /**
     * @param problems the problems, at least one; copied
     */
    public ConfigProblems(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * Every problem, one per bad key.
     *
     * @return never empty
     */
    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        StringBuilder sb =
                new StringBuilder("Invalid tickmux configuration (")
                        .append(problems.size())
                        .append(problems.size() == 1 ? " problem" : " problems")
                        .append("):");
        for (String p : problems) {
            sb.append("\n  - ").append(p);
        }
        return sb.toString();
    }
}
