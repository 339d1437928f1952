package io.attune.core.persistence;

import org.hibernate.type.descriptor.ValueBinder;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.descriptor.jdbc.BasicBinder;
import org.hibernate.type.descriptor.jdbc.VarcharJdbcType;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * A column of a Postgres enum type ({@code attune.inquiry_status_enum}, ...) as its label, a String:
 * {@code @JdbcType(PostgresEnumLabel.class) String status}. Read as text; bound untyped ({@code OTHER}), so that a
 * filter compares enum with enum and keeps its index, where a varchar parameter would not even compare. (Hibernate's
 * own PostgreSQLEnumJdbcType wants a Java enum named like the labels; the suite's enums are upper case.)
 */
public class PostgresEnumLabel extends VarcharJdbcType {

    @Override
    public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
        return new BasicBinder<>(javaType, this) {
            @Override
            protected void doBind(PreparedStatement st, X value, int index, WrapperOptions options)
                    throws SQLException {
                st.setObject(index, javaType.unwrap(value, String.class, options), Types.OTHER);
            }

            @Override
            protected void doBind(CallableStatement st, X value, String name, WrapperOptions options)
                    throws SQLException {
                st.setObject(name, javaType.unwrap(value, String.class, options), Types.OTHER);
            }
        };
    }
}
